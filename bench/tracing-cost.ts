/**
 * What tracing costs the property service: the same command load against two service
 * processes run side by side, one with TRACING_ENABLED=false and one with tracing on
 * (exporting to the stack's Zipkin), in alternating rounds.
 *
 *   npm run bench:tracing -- [--concurrency 32] [--duration 30] [--rounds 6] [--warmup 3] [--json]
 *
 * The services run as real processes (`services/serve.ts property`): the tracer provider is
 * process-wide, so on and off cannot share a process. The load (a closed loop of N
 * keep-alive HTTP clients, the bench:commands mix, as the realm's seller1 and buyer1, so
 * Keycloak must be up) runs in this process; each service's CPU
 * is read from /proc, and so is Zipkin's, which receives the spans. The idle service waits
 * while the other is measured, and alternating short rounds spreads background load on a
 * shared machine over both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { runningPid } from '../stack/process';
import { zipkinUrl } from '../stack/components/zipkin';
import { localUser, type Identity } from '../test/support/identities';
import { listing } from '../test/support/property-harness';
import { awaitReady } from '../test/support/await-ready';
import { backgroundCpu, commandLine, percentile, table } from './support/measure';
import { positiveInt } from './support/bench-cli';
import { messageOf } from '../services/shared/errors/message-of';

type Mode = 'off' | 'on';
const modes: readonly Mode[] = ['off', 'on'];
const repo = path.resolve(__dirname, '..');
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface Options {
  concurrency: number;
  duration: number;
  rounds: number;
  warmup: number;
  properties: number;
  sampleRatio: string;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  return new Command('bench:tracing')
    .description('property commands/s and CPU per command with tracing off and on, in one run')
    .option('-c, --concurrency <n>', 'concurrent clients', positiveInt('concurrency'), 32)
    .option('-d, --duration <s>', 'measured seconds per mode', positiveInt('duration'), 30)
    .option('-r, --rounds <n>', 'alternate the modes in this many rounds', positiveInt('rounds'), 6)
    .option('-w, --warmup <s>', 'unmeasured warm-up seconds per mode', positiveInt('warmup'), 3)
    .option('-p, --properties <n>', 'properties listed per mode first', positiveInt('properties'), 500)
    .option('--sample-ratio <r>', 'TRACING_SAMPLE_RATIO of the traced service', '1')
    .option('--json', 'print the result as JSON', false)
    .parse(argv)
    .opts<Options>();
}

/** User + system CPU seconds a process has used so far. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the line.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One property service process (node itself, tsx as its loader, so the pid is the service's). */
async function startService(mode: Mode, sampleRatio: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/serve.ts', 'property'], {
    cwd: repo,
    env: {
      ...process.env,
      PROPERTY_PORT: String(port),
      TRACING_ENABLED: mode === 'on' ? 'true' : 'false',
      TRACING_SAMPLE_RATIO: sampleRatio,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await awaitReady([`http://127.0.0.1:${port}`], 120_000);
  return { child, port };
}

type Outcome = 'ok' | 'conflict' | 'error';

interface RoundResult {
  ok: number;
  /** Lost optimistic-concurrency races (409/412): two clients picked the same property at once. */
  conflicts: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

/** Closed loop: `concurrency` clients each send a command and wait for it, until the deadline or the count. */
class Load {
  private readonly agent: http.Agent;
  private readonly ids: string[] = [];
  private priceSeq = 0;

  constructor(
    private readonly port: number,
    concurrency: number,
    /** Lists properties and changes their prices (the owner); makes the offers. */
    private readonly users: { seller: Identity; buyer: Identity },
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  }

  async run(concurrency: number, limit: { seconds?: number; count?: number }): Promise<RoundResult> {
    const result: RoundResult = { ok: 0, conflicts: 0, errors: 0, seconds: 0, latenciesMs: [] };
    const started = performance.now();
    const deadline = limit.seconds === undefined ? Infinity : started + limit.seconds * 1000;
    let issued = 0;
    const loop = async () => {
      while (performance.now() < deadline && (limit.count === undefined || issued < limit.count)) {
        issued++;
        const t0 = performance.now();
        const outcome = await this.command(limit.count !== undefined).catch((): Outcome => 'error');
        result.latenciesMs.push(performance.now() - t0);
        if (outcome === 'ok') result.ok++;
        else if (outcome === 'conflict') result.conflicts++;
        else result.errors++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    result.seconds = (performance.now() - started) / 1000;
    return result;
  }

  /** The bench:commands mix: 10 % listings, 45 % price changes, 45 % offers on listed properties. */
  private async command(listOnly: boolean): Promise<Outcome> {
    const r = Math.random();
    const target = this.ids[Math.floor(Math.random() * this.ids.length)];
    const { seller, buyer } = this.users;
    if (listOnly || r < 0.1 || target === undefined) {
      const { status, body } = await this.post('/properties', listing(), seller);
      if (status === 201) this.ids.push((JSON.parse(body) as { id: string }).id);
      return outcomeOf(status, 201);
    }
    if (r < 0.55) {
      const price = { amount: 300_000 + (this.priceSeq += 1), currency: 'EUR' };
      return outcomeOf((await this.post(`/properties/${target}/price`, { price }, seller)).status, 200);
    }
    const offer = { amount: { amount: 600_000, currency: 'EUR' } };
    return outcomeOf((await this.post(`/properties/${target}/offers`, offer, buyer)).status, 201);
  }

  private async post(urlPath: string, body: object, as: Identity): Promise<{ status: number; body: string }> {
    const payload = JSON.stringify(body);
    const authorization = `Bearer ${await as.token()}`;
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path: urlPath,
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            authorization,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }
}

function outcomeOf(status: number, expected: number): Outcome {
  if (status === expected) return 'ok';
  return status === 409 || status === 412 ? 'conflict' : 'error';
}

interface ModeReport {
  mode: Mode;
  commands: number;
  conflicts: number;
  errors: number;
  seconds: number;
  commandsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU of the service process per successful command. */
  serviceCpuMsPerCommand: number;
  /** CPU of Zipkin per successful command (receiving and storing the spans). */
  zipkinCpuMsPerCommand: number;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  const zipkinPid = runningPid('zipkin');
  const health = await fetch(`${zipkinUrl}/health`).catch(() => undefined);
  if (!health?.ok) throw new Error(`Zipkin does not answer at ${zipkinUrl}: npm run stack -- up`);
  const progress = (line: string) => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };

  // The realm's local users (Keycloak must be up): the services check who sends each command.
  const [seller, buyer] = await Promise.all([localUser('seller1'), localUser('buyer1')]);
  const users = { seller, buyer };
  const services = new Map<Mode, { child: ChildProcess; port: number; load: Load }>();
  const totals = new Map<Mode, { rounds: RoundResult[]; serviceCpu: number; zipkinCpu: number }>();
  try {
    for (const mode of modes) {
      progress(`tracing ${mode}: starting a property service process…`);
      const { child, port } = await startService(mode, options.sampleRatio);
      const load = new Load(port, options.concurrency, users);
      services.set(mode, { child, port, load });
      totals.set(mode, { rounds: [], serviceCpu: 0, zipkinCpu: 0 });
      progress(`tracing ${mode}: listing ${options.properties} properties, warming up ${options.warmup}s…`);
      await load.run(options.concurrency, { count: options.properties });
      await load.run(options.concurrency, { seconds: options.warmup });
    }
    const background = await backgroundCpu(1000);
    const roundSeconds = options.duration / options.rounds;
    for (let round = 1; round <= options.rounds; round++) {
      for (const mode of modes) {
        const service = services.get(mode);
        const total = totals.get(mode);
        if (!service || !total) continue;
        progress(`tracing ${mode}: round ${round}/${options.rounds} (${roundSeconds.toFixed(1)}s)…`);
        const service0 = cpuSeconds(service.child.pid);
        const zipkin0 = cpuSeconds(zipkinPid);
        total.rounds.push(await service.load.run(options.concurrency, { seconds: roundSeconds }));
        // Spans reach Zipkin up to a second later (the export delay): count its work on them too.
        if (mode === 'on') await new Promise((resolve) => setTimeout(resolve, 1_500));
        total.serviceCpu += cpuSeconds(service.child.pid) - service0;
        total.zipkinCpu += cpuSeconds(zipkinPid) - zipkin0;
      }
    }

    const reports: ModeReport[] = modes.map((mode) => {
      const total = totals.get(mode) as { rounds: RoundResult[]; serviceCpu: number; zipkinCpu: number };
      const ok = total.rounds.reduce((sum, r) => sum + r.ok, 0);
      const seconds = total.rounds.reduce((sum, r) => sum + r.seconds, 0);
      const latencies = Float64Array.from(total.rounds.flatMap((r) => r.latenciesMs)).sort();
      return {
        mode,
        commands: ok,
        conflicts: total.rounds.reduce((sum, r) => sum + r.conflicts, 0),
        errors: total.rounds.reduce((sum, r) => sum + r.errors, 0),
        seconds,
        commandsPerSecond: ok / seconds,
        p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
        serviceCpuMsPerCommand: (total.serviceCpu * 1000) / ok,
        zipkinCpuMsPerCommand: (total.zipkinCpu * 1000) / ok,
      };
    });
    const result = {
      commandLine: commandLine('bench:tracing', 'bench/tracing-cost.ts'),
      machine: { cores: os.availableParallelism(), node: process.version, backgroundCpuBusy: background },
      settings: { ...options },
      modes: reports,
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const lines = [
      `command: ${result.commandLine}`,
      `machine: ${result.machine.cores} cores, node ${result.machine.node}; ${(background * 100).toFixed(0)}% busy before the load`,
      `settings: concurrency ${options.concurrency}, ${options.duration}s per mode in ${options.rounds} alternating rounds, mix list=10,price=45,offer=45, sample ratio ${options.sampleRatio} when on`,
      '',
      ...table(
        [
          'tracing',
          'commands',
          'commands/s',
          'p50 ms',
          'p99 ms',
          'service CPU ms/cmd',
          'Zipkin CPU ms/cmd',
          'conflicts',
          'errors',
        ],
        reports.map((r) => [
          r.mode,
          String(r.commands),
          r.commandsPerSecond.toFixed(0),
          r.p50Ms.toFixed(1),
          r.p99Ms.toFixed(1),
          r.serviceCpuMsPerCommand.toFixed(3),
          r.zipkinCpuMsPerCommand.toFixed(3),
          String(r.conflicts),
          String(r.errors),
        ]),
      ),
    ];
    const [off, on] = reports;
    if (off && on) {
      lines.push(
        '',
        `on/off: ${(on.commandsPerSecond / off.commandsPerSecond).toFixed(2)} of the throughput, ` +
          `${(on.serviceCpuMsPerCommand / off.serviceCpuMsPerCommand).toFixed(2)}× the service CPU per command`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const { child } of services.values()) child.kill('SIGTERM');
    await Promise.all(
      [...services.values()].map(
        ({ child }) =>
          new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))),
      ),
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:tracing: ${messageOf(error)}\n`);
  process.exit(1);
});
