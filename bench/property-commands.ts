import { sampleListing } from './support/sample-listing';
import { backgroundCpu, commandLine, cpuTimes, percentile } from './support/measure';
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
 * See bench/README.md for what the figures mean and the results measured so far.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { Command, InvalidArgumentError } from 'commander';
import { Migrator, sql } from 'kysely';
import { Pool } from 'pg';
import { propertyMigrationsFor } from '../migrations/property';
import { createDatabase } from '../services/shared/db/database';
import { moneyFromMajor } from '../services/shared/domain/money';
import type { PropertyEvent } from '../services/property/published';
import { propertyConfig } from '../services/property/property-config';
import { propertyStreamType, propertyUpcasters } from '../services/property/published';
import type { AvroEventCodec } from '../services/shared/codec/avro-event-codec';
import { localUser } from '../test/support/identities';
import { startPropertyService, type PropertyHarness } from '../test/support/property-harness';
import { PreverifiedTokens } from './support/preverified-tokens';
import {
  HttpCommands,
  kinds,
  pickKind,
  Targets,
  type CommandPort,
  type Kind,
  type Mix,
  type Outcome,
} from './support/http-commands';
import { SupervisedProperty } from './support/supervised-property';
import { streamLengthPhase, type OperationFigures, type StreamLengthReport } from './stream-length';
import { positiveInt, runBench } from './support/bench-cli';
import { messageOf } from '../services/shared/errors/message-of';

// ---------------------------------------------------------------------------------------------
// Shared: command mix, closed-loop driver, statistics
// ---------------------------------------------------------------------------------------------

interface PhaseResult {
  commands: number;
  ok: number;
  conflicts: number;
  errors: number;
  /** Up to a few error descriptions with their counts, so a failing run says why. */
  errorSamples: Record<string, number>;
  byKind: Record<Kind, number>;
  elapsedMs: number;
  /** Latency of every finished command in ms, ascending. */
  latenciesMs: Float64Array;
}

interface PhaseSpec {
  concurrency: number;
  mix: Mix;
  /** Stop after this long, or … */
  durationMs?: number;
  /** … after this many commands (seeding). */
  count?: number;
}

/**
 * Closed loop: `concurrency` workers each send one command, wait for it, send the next,
 * until the deadline (or the count). Latency is measured around each command.
 */
async function runPhase(port: CommandPort, targets: Targets, spec: PhaseSpec): Promise<PhaseResult> {
  const latencies: number[] = [];
  const errorSamples: Record<string, number> = {};
  const byKind: Record<Kind, number> = { list: 0, price: 0, offer: 0 };
  let ok = 0;
  let conflicts = 0;
  let errors = 0;
  let issued = 0;
  const started = process.hrtime.bigint();
  const deadline = spec.durationMs === undefined ? undefined : started + BigInt(spec.durationMs) * 1_000_000n;

  const loop = async (): Promise<void> => {
    for (;;) {
      if (spec.count !== undefined && issued >= spec.count) return;
      if (deadline !== undefined && process.hrtime.bigint() >= deadline) return;
      issued++;
      const kind = pickKind(spec.mix, targets.ids.length > 0);
      const target = kind === 'list' ? undefined : targets.pick();
      const t0 = process.hrtime.bigint();
      let outcome: Outcome;
      try {
        outcome = await port.run(kind, target);
      } catch (error) {
        outcome = { result: 'error', detail: messageOf(error) };
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      byKind[kind]++;
      if (outcome.result === 'ok') {
        ok++;
        if (kind === 'list' && outcome.id) targets.ids.push(outcome.id);
      } else if (outcome.result === 'conflict') {
        conflicts++;
      } else {
        errors++;
        const key = outcome.detail.slice(0, 160);
        if (key in errorSamples || Object.keys(errorSamples).length < 5)
          errorSamples[key] = (errorSamples[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, loop));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const sorted = Float64Array.from(latencies).sort();
  return {
    commands: latencies.length,
    ok,
    conflicts,
    errors,
    errorSamples,
    byKind,
    elapsedMs,
    latenciesMs: sorted,
  };
}

// ---------------------------------------------------------------------------------------------
// API path: HTTP clients (worker thread)
// ---------------------------------------------------------------------------------------------

interface ClientWorkerData {
  port: number;
  concurrency: number;
  /** Bearer tokens: the seller lists and changes prices, the buyer offers. */
  sellerToken: string;
  buyerToken: string;
}
type ToClient = { phase: string; spec: PhaseSpec };
type FromClient = { phase: string; result: PhaseResult } | { phase: string; failure: string };

/** Worker side: keeps its targets across phases (seed, warm-up, measure) and runs each on request. */
function clientWorkerMain(): void {
  const data = workerData as ClientWorkerData;
  const tokens = { seller: data.sellerToken, buyer: data.buyerToken };
  const commands = new HttpCommands({ port: data.port, maxSockets: data.concurrency, tokens: () => tokens });
  const targets = new Targets();
  parentPort?.on('message', (message: ToClient) => {
    runPhase(commands, targets, message.spec).then(
      (result) => {
        const reply: FromClient = { phase: message.phase, result };
        parentPort?.postMessage(reply, [result.latenciesMs.buffer as ArrayBuffer]);
      },
      (error: unknown) => {
        const reply: FromClient = { phase: message.phase, failure: String(error) };
        parentPort?.postMessage(reply);
      },
    );
  });
}

/** Main side of the client worker. */
class ClientWorker {
  private constructor(private readonly worker: Worker) {}

  static start(data: ClientWorkerData): ClientWorker {
    // Worker threads do not inherit tsx's loader; registering it first lets the worker run this file.
    const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, {
      eval: true,
      workerData: data,
    });
    return new ClientWorker(worker);
  }

  get eventLoopUtilization(): (a?: EventLoopUtilization) => EventLoopUtilization {
    return this.worker.performance.eventLoopUtilization;
  }

  run(phase: string, spec: PhaseSpec): Promise<PhaseResult> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromClient) => {
        if (message.phase !== phase) return;
        this.worker.off('message', onMessage);
        this.worker.off('error', reject);
        if ('failure' in message) reject(new Error(message.failure));
        else resolve(message.result);
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
      const request: ToClient = { phase, spec };
      this.worker.postMessage(request);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

// ---------------------------------------------------------------------------------------------
// Raw path: the API's statements through pg
// ---------------------------------------------------------------------------------------------

/**
 * The statements kysely generates for the event store (compiled SQL of event-store.ts /
 * outbox-writer.ts), for `schema`: sent as named (prepared) statements as the service sends
 * them (services/shared/db/prepared-statements.ts). A load reads the stream's snapshot and the
 * events from its version on in one statement (PostgresEventStore.readFromSnapshot); both
 * parameters are the stream id. The append is the events insert as a data-modifying CTE of
 * the outbox insert.
 */
function rawStatements(schema: string): { selectStream: string; append: string } {
  const table = (name: string) => `"${schema}"."${name}"`;
  const eventColumns = [
    'position',
    'event_id',
    'stream_id',
    'stream_type',
    'version',
    'event_type',
    'schema_version',
    'payload',
    'metadata',
    'occurred_at',
  ]
    .map((column) => `${table('events')}."${column}"`)
    .join(', ');
  return {
    selectStream: `select ${eventColumns}, ${table('snapshots')}."format" as "snapshot_format", ${table('snapshots')}."state" as "snapshot_state", ${table('snapshots')}."digest" as "snapshot_digest" from ${table('events')} left join ${table('snapshots')} on ${table('snapshots')}."stream_id" = ${table('events')}."stream_id" and ${table('snapshots')}."version" = ${table('events')}."version" where ${table('events')}."stream_id" = $1 and ${table('events')}."version" >= coalesce((select "latest"."version" from ${table('snapshots')} as "latest" where "latest"."stream_id" = $2), 1) order by ${table('events')}."version"`,
    append: `with "appended" as (insert into ${table('events')} ("event_id", "stream_id", "stream_type", "version", "event_type", "schema_version", "payload", "metadata", "occurred_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning "position") insert into ${table('outbox')} ("id", "aggregatetype", "aggregateid", "type", "payload", "event_id", "aggregate_version", "correlation_id", "causation_id", "traceparent", "actor", "occurred_at") values ($1, $3, $2, $5, $10, $1, $4, $11, null, null, $13, $12)`,
  };
}

/**
 * The raw path's own schema, made with the property service's migrations: its rows never
 * reach the services' relay (which reads only their outboxes) nor any projector, and it is
 * dropped at the end of the run.
 */
async function scratchSchema(connectionString: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `bench_raw_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const db = createDatabase<unknown>({ connectionString, maxConnections: 1, applicationName: name });
  await db.schema.createSchema(name).execute();
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => propertyMigrationsFor(name) },
    migrationTableSchema: name,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  return {
    name,
    async drop() {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(name)} CASCADE`.execute(db);
      await db.destroy();
    },
  };
}

/** The actor the raw path records, as the API records the token subject. */
const RAW_ACTOR = 'bench-raw-seller';
const UNIQUE_VIOLATION = '23505';

interface Template {
  type: string;
  /** The schema version the service writes this type at now. */
  schemaVersion: number;
  /** jsonb payload as the service would store it. */
  json: object;
  /** Avro in the Confluent wire format, encoded once before the run. */
  avro: Buffer;
}

/**
 * Events the aggregate really raises (so payload sizes are realistic), encoded once with the
 * service's codec: the baseline pays no Avro cost, only the database round trips.
 */
async function eventTemplates(codec: AvroEventCodec): Promise<Record<Kind, Template>> {
  const property = sampleListing('bench-raw-template', 123);
  property.changePrice(moneyFromMajor(640_000, 'EUR'));
  property.receiveOffer(randomUUID(), 'buyer-1', moneyFromMajor(630_000, 'EUR'));
  const [listed, price, offer] = property.uncommittedEvents as readonly PropertyEvent[];
  const template = async (event: PropertyEvent | undefined): Promise<Template> => {
    if (!event) throw new Error('the template property raised fewer events than expected');
    const schemaVersion = propertyUpcasters.currentVersion(event.type);
    return {
      type: event.type,
      schemaVersion,
      json: event.data,
      avro: await codec.encode(event.type, schemaVersion, event.data),
    };
  };
  return { list: await template(listed), price: await template(price), offer: await template(offer) };
}

class RawCommands implements CommandPort {
  constructor(
    private readonly pool: Pool,
    private readonly statements: { selectStream: string; append: string },
    private readonly templates: Record<Kind, Template>,
  ) {}

  async run(kind: Kind, target: string | undefined): Promise<Outcome> {
    let streamId: string;
    let version: number;
    if (kind === 'list' || target === undefined) {
      streamId = `bench-raw-${randomUUID()}`;
      version = 1;
    } else {
      // What repository.load() reads before a command on an existing property.
      const { rows } = await this.pool.query<{ version: number }>({
        name: 'bench_select_stream',
        text: this.statements.selectStream,
        values: [target, target],
      });
      streamId = target;
      version = (rows.at(-1)?.version ?? 0) + 1;
    }
    const template = this.templates[kind];
    const eventId = randomUUID();
    const occurredAt = new Date();
    const metadata = {
      eventId,
      correlationId: randomUUID(),
      causationId: null,
      traceparent: null,
      actor: RAW_ACTOR,
    };
    const payload = template.json;
    try {
      await this.pool.query({
        name: 'bench_append',
        text: this.statements.append,
        values: [
          eventId,
          streamId,
          propertyStreamType,
          version,
          template.type,
          template.schemaVersion,
          JSON.stringify(payload),
          JSON.stringify(metadata),
          occurredAt,
          template.avro,
          metadata.correlationId,
          occurredAt.toISOString(),
          RAW_ACTOR,
        ],
      });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return { result: 'conflict' };
      return { result: 'error', detail: messageOf(error) };
    }
    return kind === 'list' ? { result: 'ok', id: streamId } : { result: 'ok' };
  }
}

// ---------------------------------------------------------------------------------------------
// Orchestration and report
// ---------------------------------------------------------------------------------------------

const pathNames = ['api', 'api-preverified', 'raw'] as const;
type PathName = (typeof pathNames)[number];
const isPathName = (name: string): name is PathName => (pathNames as readonly string[]).includes(name);

interface Options {
  concurrency: number;
  duration: number;
  rounds: number;
  warmup: number;
  properties: number;
  mix: Mix;
  pool?: number;
  paths: PathName[];
  longStream: number;
  streamSamples: number;
  processes: number[];
  json: boolean;
}

interface PathReport {
  /** A --paths name, or `processes×N` (the service as N supervised processes). */
  path: string;
  commands: number;
  ok: number;
  conflicts: number;
  errors: number;
  errorSamples: Record<string, number>;
  byKind: Record<Kind, number>;
  durationS: number;
  commandsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Share of the phase the service's (main) event loop was busy (NaN: the service ran in other processes). */
  serverEventLoopUtilization: number;
  /** Same for the HTTP client worker (API path only). */
  clientEventLoopUtilization?: number;
  /** CPU time of the service and its clients (this process, plus the service's processes if it ran in others) per wall second, in cores. */
  processCpuCores: number;
  /** The same CPU time per accepted command, in ms. */
  cpuMsPerCommand: number;
  /** Share of all cores busy machine-wide (Postgres, this process, everything else). */
  machineCpuBusy: number;
}

const nonNegative = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number ≥ 0');
  return n;
};

function parseMix(value: string): Mix {
  const mix: Mix = { list: 0, price: 0, offer: 0 };
  for (const part of value.split(',')) {
    const [name, weight] = part.split('=');
    const w = Number(weight);
    if (!kinds.includes(name as Kind) || !Number.isFinite(w) || w < 0) {
      throw new InvalidArgumentError(`expected e.g. list=10,price=45,offer=45, got "${part}"`);
    }
    mix[name as Kind] = w;
  }
  if (kinds.every((k) => mix[k] === 0)) throw new InvalidArgumentError('at least one weight must be > 0');
  return mix;
}

function parsePaths(value: string): PathName[] {
  const paths = value.split(',').map((p) => p.trim());
  const unknown = paths.find((p) => !isPathName(p));
  if (unknown !== undefined)
    throw new InvalidArgumentError(`unknown path "${unknown}" (known: ${pathNames.join(', ')})`);
  return paths.filter(isPathName);
}

function parseProcesses(value: string): number[] {
  if (value === 'none') return [];
  return value.split(',').map((part) => positiveInt('processes')(part.trim()));
}

function parseOptions(argv: string[]): Options {
  const program = new Command('bench:commands')
    .description('Property command throughput through the REST API versus raw SQL, in one run')
    .option(
      '-c, --concurrency <n>',
      'concurrent clients (and raw-path workers)',
      positiveInt('concurrency'),
      32,
    )
    .option('-d, --duration <s>', 'measured seconds per path', nonNegative, 15)
    .option('-r, --rounds <n>', 'alternate the paths in this many measured rounds', positiveInt('rounds'), 3)
    .option('-w, --warmup <s>', 'unmeasured warm-up seconds per path', nonNegative, 3)
    .option(
      '-p, --properties <n>',
      'properties listed per path before the warm-up',
      positiveInt('properties'),
      1000,
    )
    .option('-m, --mix <weights>', 'command mix weights', parseMix, parseMix('list=10,price=45,offer=45'))
    .option(
      '--pool <n>',
      'Postgres pool size of the service and the raw path (default PROPERTY_DB_POOL or 20)',
      positiveInt('pool'),
    )
    .option('--paths <list>', `which paths to run: ${pathNames.join(',')}`, parsePaths, [...pathNames])
    .option(
      '--long-stream <n>',
      'events of the long stream in the stream-length phase (0 skips the phase)',
      nonNegative,
      5000,
    )
    .option(
      '--stream-samples <n>',
      'sequential operations per figure of the stream-length phase',
      positiveInt('stream-samples'),
      200,
    )
    .option(
      '--processes <list>',
      'also run the service as supervised processes, e.g. 1,2 (processes×1, processes×2); "none" skips',
      parseProcesses,
      [1, 2],
    )
    .option('--json', 'print the result as JSON instead of a table', false)
    .parse(argv);
  return program.opts<Options>();
}

interface BenchResult {
  commandLine: string;
  machine: { cores: number; cpu: string; node: string; platform: string; backgroundCpuBusy: number };
  settings: {
    concurrency: number;
    durationS: number;
    warmupS: number;
    propertiesPerPath: number;
    mix: Mix;
    dbPool: number;
    rounds: number;
  };
  paths: PathReport[];
  apiToRawRatio: number | null;
  /** What verifying each request's token costs: api against api-preverified, in the same run. */
  tokenVerification: { throughputRatio: number; cpuMsPerCommand: number } | null;
  /** commands/s of the service as N processes against as 1 (same run). */
  processScaling: Array<{ processes: number; throughputRatio: number }>;
  /** Short against long streams, with the service's snapshots and without any. */
  streamLength: StreamLengthReport[];
}

/** Resource use and results of one path, summed over its measured rounds. */
class PathMeter {
  private readonly results: PhaseResult[] = [];
  private serverActive = 0;
  private serverTotal = 0;
  private clientActive = 0;
  private clientTotal = 0;
  private cpuMicros = 0;
  private machineBusy = 0;
  private machineTotal = 0;

  constructor(
    readonly path: string,
    private readonly clientElu?: (a?: EventLoopUtilization) => EventLoopUtilization,
    /** CPU (µs so far) of service processes other than this one. */
    private readonly externalCpuMicros?: () => number,
  ) {}

  async round(run: () => Promise<PhaseResult>): Promise<void> {
    const elu0 = performance.eventLoopUtilization();
    const clientElu0 = this.clientElu?.();
    const cpu0 = process.cpuUsage();
    const external0 = this.externalCpuMicros?.() ?? 0;
    const machine0 = cpuTimes();
    this.results.push(await run());
    const cpu = process.cpuUsage(cpu0);
    this.cpuMicros += (this.externalCpuMicros?.() ?? 0) - external0;
    const machine1 = cpuTimes();
    const elu = performance.eventLoopUtilization(elu0);
    this.serverActive += elu.active;
    this.serverTotal += elu.active + elu.idle;
    if (this.clientElu && clientElu0) {
      const c = this.clientElu(clientElu0);
      this.clientActive += c.active;
      this.clientTotal += c.active + c.idle;
    }
    this.cpuMicros += cpu.user + cpu.system;
    this.machineBusy += machine1.busy - machine0.busy;
    this.machineTotal += machine1.total - machine0.total;
  }

  report(): PathReport {
    const sum = (f: (r: PhaseResult) => number) => this.results.reduce((acc, r) => acc + f(r), 0);
    const latencies = new Float64Array(sum((r) => r.latenciesMs.length));
    let offset = 0;
    for (const r of this.results) {
      latencies.set(r.latenciesMs, offset);
      offset += r.latenciesMs.length;
    }
    latencies.sort();
    const errorSamples: Record<string, number> = {};
    for (const r of this.results)
      for (const [k, v] of Object.entries(r.errorSamples)) errorSamples[k] = (errorSamples[k] ?? 0) + v;
    const seconds = sum((r) => r.elapsedMs) / 1000;
    const ok = sum((r) => r.ok);
    return {
      path: this.path,
      commands: latencies.length,
      ok,
      conflicts: sum((r) => r.conflicts),
      errors: sum((r) => r.errors),
      errorSamples,
      byKind: {
        list: sum((r) => r.byKind.list),
        price: sum((r) => r.byKind.price),
        offer: sum((r) => r.byKind.offer),
      },
      durationS: seconds,
      commandsPerSecond: ok / seconds,
      p50Ms: percentile(latencies, 0.5),
      p90Ms: percentile(latencies, 0.9),
      p99Ms: percentile(latencies, 0.99),
      maxMs: percentile(latencies, 1),
      serverEventLoopUtilization: this.externalCpuMicros ? Number.NaN : this.serverActive / this.serverTotal,
      ...(this.clientTotal > 0 ? { clientEventLoopUtilization: this.clientActive / this.clientTotal } : {}),
      processCpuCores: this.cpuMicros / 1e6 / seconds,
      cpuMsPerCommand: this.cpuMicros / 1000 / ok,
      machineCpuBusy: this.machineBusy / this.machineTotal,
    };
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  if (options.pool !== undefined) process.env.PROPERTY_DB_POOL = String(options.pool);
  // The same configuration the service reads, so the raw path gets its pool size and database.
  const config = propertyConfig();
  const poolSize = config.PROPERTY_DB_POOL;
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
  const progress = (text: string) => {
    if (!options.json) process.stderr.write(`${text}\n`);
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
        max: poolSize,
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
      await runPhase(raw, targets, seed);
      await runPhase(raw, targets, phase(options.warmup));
      const meter = new PathMeter('raw');
      meters.push(meter);
      rounds.push({ meter, run: (d) => runPhase(raw, targets, phase(d)) });
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

  const streamLength: StreamLengthReport[] = [];
  if (options.longStream > 0) {
    const seller = await localUser('seller1');
    const configured = await startPropertyService();
    const unsnapshotted = await startPropertyService({ env: { PROPERTY_SNAPSHOT_EVERY: '0' } });
    try {
      for (const [name, service] of [
        [`snapshots every ${configured.running.config.PROPERTY_SNAPSHOT_EVERY}`, configured],
        ['no snapshots', unsnapshotted],
      ] as const) {
        progress(
          `stream length (${name}): ${options.longStream} events against 5, ${options.streamSamples} samples…`,
        );
        streamLength.push(
          await streamLengthPhase(
            name,
            service,
            await seller.token(),
            seller.subject,
            options.longStream,
            options.streamSamples,
          ),
        );
      }
    } finally {
      await configured.close();
      await unsnapshotted.close();
    }
  }

  const reports = meters.map((m) => m.report());
  const byPath = (name: PathName) => reports.find((r) => r.path === name);
  const api = byPath('api');
  const preverified = byPath('api-preverified');
  const raw = byPath('raw');
  const result: BenchResult = {
    commandLine: commandLine('bench:commands', 'bench/property-commands.ts'),
    machine: {
      cores: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      /** Machine busy share during 1 s before the load: other work sharing the cores. */
      backgroundCpuBusy: background ?? Number.NaN,
    },
    settings: {
      concurrency: options.concurrency,
      durationS: options.duration,
      warmupS: options.warmup,
      propertiesPerPath: options.properties,
      mix: options.mix,
      dbPool: poolSize,
      rounds: options.rounds,
    },
    paths: reports,
    apiToRawRatio: api && raw ? api.commandsPerSecond / raw.commandsPerSecond : null,
    tokenVerification:
      api && preverified
        ? {
            throughputRatio: api.commandsPerSecond / preverified.commandsPerSecond,
            cpuMsPerCommand: api.cpuMsPerCommand - preverified.cpuMsPerCommand,
          }
        : null,
    streamLength,
    processScaling: (() => {
      const single = reports.find((r) => r.path === 'processes×1');
      return single
        ? reports
            .filter((r) => r.path.startsWith('processes×') && r !== single)
            .map((r) => ({
              processes: Number(r.path.slice('processes×'.length)),
              throughputRatio: r.commandsPerSecond / single.commandsPerSecond,
            }))
        : [];
    })(),
  };
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else printReport(result);
}

function printReport(result: BenchResult): void {
  const { machine, settings } = result;
  const mix = kinds.map((k) => `${k}=${settings.mix[k]}`).join(',');
  const lines = [
    `command: ${result.commandLine}`,
    `machine: ${machine.cores} cores (${machine.cpu}), node ${machine.node}, ${machine.platform}; ` +
      `${(machine.backgroundCpuBusy * 100).toFixed(0)}% busy before the load`,
    `settings: concurrency ${settings.concurrency}, db pool ${settings.dbPool}, warm-up ${settings.warmupS}s, ` +
      `measured ${settings.durationS}s in ${settings.rounds} alternating rounds, mix ${mix}, ${settings.propertiesPerPath} properties listed first per path`,
    '',
  ];
  const header = [
    'path',
    'commands',
    'duration',
    'commands/s',
    'CPU ms/cmd',
    'p50 ms',
    'p99 ms',
    'conflicts',
    'errors',
  ];
  const rows = result.paths.map((r) => [
    r.path,
    String(r.commands),
    `${r.durationS.toFixed(1)} s`,
    r.commandsPerSecond.toFixed(0),
    r.cpuMsPerCommand.toFixed(2),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    String(r.conflicts),
    String(r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  lines.push(format(header), ...rows.map(format), '');
  if (result.apiToRawRatio !== null) lines.push(`api/raw: ${result.apiToRawRatio.toFixed(2)}`);
  for (const scaling of result.processScaling)
    lines.push(`processes×${scaling.processes}/processes×1: ${scaling.throughputRatio.toFixed(2)}`);
  if (result.tokenVerification !== null)
    lines.push(
      `token verification: api/api-preverified ${result.tokenVerification.throughputRatio.toFixed(2)}, ` +
        `${result.tokenVerification.cpuMsPerCommand.toFixed(3)} CPU ms per command`,
    );
  for (const r of result.paths) {
    const elu =
      (Number.isNaN(r.serverEventLoopUtilization)
        ? 'service in its own processes'
        : `server loop ${(r.serverEventLoopUtilization * 100).toFixed(0)}% busy`) +
      (r.clientEventLoopUtilization === undefined
        ? ''
        : `, client loop ${(r.clientEventLoopUtilization * 100).toFixed(0)}%`);
    lines.push(
      `${r.path}: p90 ${r.p90Ms.toFixed(2)} ms, max ${r.maxMs.toFixed(2)} ms; mix ${kinds.map((k) => `${k} ${r.byKind[k]}`).join(', ')}; ` +
        `${elu}; this process ${r.processCpuCores.toFixed(2)} cores; machine ${(r.machineCpuBusy * 100).toFixed(0)}% busy`,
    );
    for (const [detail, count] of Object.entries(r.errorSamples)) lines.push(`  ${count}× ${detail}`);
  }
  for (const phase of result.streamLength) {
    const figures = (f: OperationFigures) =>
      `p50 ${f.p50Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms, ${f.cpuMs.toFixed(2)} CPU ms`;
    lines.push(
      '',
      `stream length, ${phase.service} (${phase.samples} sequential operations each; long = ${phase.longStreamEvents} events, short = 5):`,
      `  price change  short: ${figures(phase.short.command)}; long: ${figures(phase.long.command)}`,
      `  GET property  short: ${figures(phase.short.read)}; long: ${figures(phase.long.read)}`,
      `  long/short    command p50 ${phase.ratios.commandP50.toFixed(2)}, CPU ${phase.ratios.commandCpu.toFixed(2)}; ` +
        `GET p50 ${phase.ratios.readP50.toFixed(2)}, CPU ${phase.ratios.readCpu.toFixed(2)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

runBench(main, clientWorkerMain);
