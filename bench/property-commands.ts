/**
 * Property command throughput: the REST API against a raw-SQL baseline, in one run.
 *
 *   npm run bench:commands -- [--concurrency 32] [--duration 15] [--warmup 3] [--json]
 *
 * API path: the property service runs in this process (as in test/support/property-harness.ts);
 * a closed-loop pool of N keep-alive HTTP clients runs in a worker thread, so client work
 * does not queue on the service's event loop (it still shares the machine's cores, as a
 * co-located client would). Clients act as the realm's seller1 (lists, changes prices) and
 * buyer1 (offers), each request with its bearer token, verified as in production (the
 * signature once per token, the acceptance remembered until it expires).
 *
 * api-preverified path: a second property service, identical except that its token
 * verifier answers from the tokens this run verified once at start, so requests skip the
 * per-request JWT checks (signature, issuer, expiry). api vs api-preverified in the same run
 * is what token verification costs.
 *
 * Raw path: the statements the API ends up issuing per command (SELECT of the stream's
 * snapshot and the events after it for commands on an existing property, then the one-statement append: events + outbox) sent
 * straight through `pg`, with a pre-encoded Avro payload, the same concurrency and a pool of
 * the service's size, into a scratch schema of its own (the property migrations, run for
 * it; never relayed, dropped at the end). It is the ceiling the API could reach on this
 * machine and database.
 *
 * The phases live in bench/property-commands/: the paths measured side by side, the
 * stream-length phase, then the report. See bench/README.md for what the figures mean and
 * the results measured so far.
 */
import { propertyConfig } from '../services/property/property-config';
import { measurePaths } from './property-commands/measure-paths';
import { parseOptions } from './property-commands/options';
import { benchResult, printReport } from './property-commands/report';
import { streamLengthPhases } from './property-commands/stream-length-phase';
import { progressReporter, runBench } from './support/bench-cli';
import { describeMachine } from './support/machine';
import { commandLine } from './support/measure';

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  if (options.pool !== undefined) process.env.PROPERTY_DB_POOL = String(options.pool);
  // The same configuration the service reads, so the raw path gets its pool size and database.
  const config = propertyConfig();
  const progress = progressReporter(options.json);

  const { reports, backgroundCpuBusy } = await measurePaths(options, config, progress);
  const streamLength = await streamLengthPhases(options, progress);

  const result = benchResult(
    commandLine('bench:commands', 'bench/property-commands.ts'),
    describeMachine(backgroundCpuBusy ?? Number.NaN),
    options,
    config.PROPERTY_DB_POOL,
    reports,
    streamLength,
  );
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else printReport(result);
}

runBench(main);
