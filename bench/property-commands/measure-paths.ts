import { Pool } from 'pg';
import type { PropertyConfig } from '../../services/property/property-config';
import { localUser } from '../../test/support/identities';
import { startPropertyService, type PropertyHarness } from '../../test/support/property-harness';
import { Targets } from '../support/http-commands';
import { backgroundCpu } from '../support/measure';
import { PreverifiedTokens } from '../support/preverified-tokens';
import { SupervisedProperty } from '../support/supervised-property';
import { ClientWorker } from './client-worker';
import { runClosedLoop, type PhaseResult, type PhaseSpec } from './closed-loop';
import type { Options, PathName } from './options';
import { PathMeter, type PathReport } from './path-meter';
import { RawCommands, eventTemplates } from './raw-commands';
import { rawStatements } from './raw-statements';
import { scratchSchema } from './scratch-schema';

/**
 * The throughput phase: starts every path asked for (the API in this process, the API with
 * preverified tokens, the service as N supervised processes, raw SQL into a scratch schema),
 * lists `--properties` properties and warms up on each, then measures them in alternating
 * rounds. Everything it started is stopped and the scratch schema dropped, whatever fails.
 */
export async function measurePaths(
  options: Options,
  config: PropertyConfig,
  progress: (text: string) => void,
): Promise<{ reports: PathReport[]; backgroundCpuBusy: number | undefined }> {
  const seconds = (s: number) => Math.round(s * 1000);
  const phase = (durationS: number): PhaseSpec => ({
    concurrency: options.concurrency,
    mix: options.mix,
    durationMs: seconds(durationS),
  });
  const seed: PhaseSpec = {
    concurrency: options.concurrency,
    mix: { list: 1, price: 0, offer: 0 },
    count: options.properties,
  };

  // The realm's users; their access tokens live 5 minutes, longer than a default run.
  const sellerToken = await (await localUser('seller1')).token();
  const buyerToken = await (await localUser('buyer1')).token();
  const harness = await startPropertyService();
  const apiPaths: Array<{ name: PathName; harness: PropertyHarness }> = [];
  const closers: Array<() => Promise<void>> = [() => harness.close()];
  const clients: Array<{ name: string; client: ClientWorker; externalCpuMicros?: () => number }> = [];
  const pool = options.paths.includes('raw')
    ? new Pool({
        connectionString: config.DATABASE_URL,
        max: config.PROPERTY_DB_POOL,
        application_name: 'deedstream-bench-raw',
      })
    : undefined;
  const meters: PathMeter[] = [];
  let background: number | undefined;

  // Everything started from here on is stopped in the finally below, whatever fails.
  try {
    if (options.paths.includes('api')) apiPaths.push({ name: 'api', harness });
    if (options.paths.includes('api-preverified')) {
      const verifier = await PreverifiedTokens.of(harness.running.runtime.verifier, [
        sellerToken,
        buyerToken,
      ]);
      const preverified = await startPropertyService({ verifier });
      closers.push(() => preverified.close());
      apiPaths.push({ name: 'api-preverified', harness: preverified });
    }
    for (const { name, harness: service } of apiPaths)
      clients.push({
        name,
        client: ClientWorker.start({
          port: Number(new URL(service.baseUrl).port),
          concurrency: options.concurrency,
          sellerToken,
          buyerToken,
        }),
      });
    for (const processes of options.processes) {
      const supervised = await SupervisedProperty.start(processes);
      closers.push(() => supervised.stop());
      clients.push({
        name: `processes×${processes}`,
        client: ClientWorker.start({
          port: supervised.port,
          concurrency: options.concurrency,
          sellerToken,
          buyerToken,
        }),
        externalCpuMicros: () => supervised.cpuMicros(),
      });
    }
    background = await backgroundCpu(1000);
    const rounds: Array<{ meter: PathMeter; run: (durationS: number) => Promise<PhaseResult> }> = [];
    for (const { name, client, externalCpuMicros } of clients) {
      progress(`${name}: listing ${options.properties} properties, warming up ${options.warmup}s…`);
      await client.run('seed', seed);
      await client.run('warmup', phase(options.warmup));
      const meter = new PathMeter(name, client.eventLoopUtilization, externalCpuMicros);
      meters.push(meter);
      rounds.push({ meter, run: (d) => client.run('measure', phase(d)) });
    }
    if (pool) {
      const scratch = await scratchSchema(config.DATABASE_URL);
      closers.push(() => scratch.drop());
      progress(`raw: writing to the scratch schema ${scratch.name} (dropped at the end)`);
      const raw = new RawCommands(
        pool,
        rawStatements(scratch.name),
        await eventTemplates(harness.service.codec),
      );
      const targets = new Targets();
      progress(`raw: listing ${options.properties} streams, warming up ${options.warmup}s…`);
      await runClosedLoop(raw, targets, seed);
      await runClosedLoop(raw, targets, phase(options.warmup));
      const meter = new PathMeter('raw');
      meters.push(meter);
      rounds.push({ meter, run: (d) => runClosedLoop(raw, targets, phase(d)) });
    }
    // Alternating short rounds spreads whatever else the machine does over every path,
    // so the ratios stay meaningful on a shared box.
    const roundS = options.duration / options.rounds;
    for (let i = 1; i <= options.rounds; i++) {
      for (const { meter, run } of rounds) {
        progress(`${meter.path}: measuring round ${i}/${options.rounds} (${roundS.toFixed(1)}s)…`);
        await meter.round(() => run(roundS));
      }
    }
  } finally {
    for (const { client } of clients) await client.stop();
    await pool?.end();
    for (const close of closers.reverse()) await close();
  }
  return { reports: meters.map((m) => m.report()), backgroundCpuBusy: background };
}
