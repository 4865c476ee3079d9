import { projectionTopics } from '../services/shared/projection/projection';
import { sampleListing } from './support/sample-listing';
import {
  commandLine,
  distribution,
  now,
  sleep,
  table,
  withMachineCpu,
  type Distribution,
} from './support/measure';
/**
 * Projections: projector throughput against plain `_bulk` loading of the same documents,
 * rebuild rate, and commit→applied/searchable latency at a fixed offered load, in one run.
 *
 *   npm run bench:projections -- [--properties 4000] [--changes 4] [--batch-size 2000] [--json]
 *
 * Everything runs against an isolated copy of the property-search projection (its own name,
 * alias, consumer group and indices), so the live projections of `npm start` are untouched;
 * its indices and consumer group are deleted at the end. Events are committed through the
 * property service's `repository.save` in this process (as bench/outbox-relay.ts does) and
 * relayed to `property.events` by the running `outbox-relay` connector.
 *
 * See bench/README.md for what the figures mean and the results measured so far.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import type { Client } from '@elastic/elasticsearch';
import type { Admin } from 'kafkajs';
import { moneyFromMinor } from '../services/shared/domain/money';
import { Property } from '../services/property/domain/property';
import type { PropertyEvent } from '../services/property/published';
import { propertyTopic } from '../services/property/published';
import type { PropertySearchDocument } from '../services/search/projections/property-search-document';
import { propertySearchProjection } from '../services/search/projections/property-search-projection';
import { loadConfig } from '../services/shared/config/load-config';
import type { EventSourcedRepository } from '../services/shared/event-sourcing/repository';
import { consumerGroupLag } from '../services/shared/projection/consumer-lag';
import { parkingIndex } from '../services/shared/projection/parked-keys';
import type { Projection } from '../services/shared/projection/projection';
import { projectionConfigSchema } from '../services/shared/projection/projection-config';
import type { ProjectionMetrics } from '../services/shared/projection/projection-metrics';
import { createProjectionDeps } from '../services/shared/projection/projection-deps';
import { defaultGroupSettings } from '../services/shared/kafka/group-consumer';
import { ProjectionRunner, type RunnerOptions } from '../services/shared/projection/projection-runner';
import { rebuildProjection } from '../services/shared/projection/rebuild';
import { kafka } from '../test/support/pipeline';
import { startPropertyService } from '../test/support/property-harness';
import { positiveInt, runBench } from './support/bench-cli';
import { messageOf } from '../services/shared/errors/message-of';

type PropertyRepository = EventSourcedRepository<PropertyEvent, Property>;
type Doc = PropertySearchDocument;

const saveContext = () => ({
  correlationId: randomUUID(),
  causationId: null,
  traceparent: null,
  actor: 'bench-projections',
});

// ---------------------------------------------------------------------------------------------
// Statistics and machine
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Kafka helpers
// ---------------------------------------------------------------------------------------------

async function topicTotals(admin: Admin, topic: string): Promise<{ high: bigint; messages: bigint }> {
  let high = 0n;
  let messages = 0n;
  for (const p of await admin.fetchTopicOffsets(topic)) {
    high += BigInt(p.high);
    messages += BigInt(p.high) - BigInt(p.low);
  }
  return { high, messages };
}

async function groupLag(admin: Admin, groupId: string, topics: string[]): Promise<number> {
  return (await consumerGroupLag(admin, groupId, topics)).reduce((sum, p) => sum + p.lag, 0);
}

interface CatchUp {
  /** When lag 0 was seen. */
  doneAt: number;
  /** The first poll that saw committed progress (the group has joined and written a batch), and its lag. */
  firstProgressAt: number;
  lagAtFirstProgress: number;
}

/** Polls every `everyMs` until the group has consumed everything. */
async function waitForLagZero(
  admin: Admin,
  groupId: string,
  topics: string[],
  everyMs: number,
  timeoutMs: number,
): Promise<CatchUp> {
  const deadline = Date.now() + timeoutMs;
  let initial: number | undefined;
  let first: { at: number; lag: number } | undefined;
  for (;;) {
    const lag = await groupLag(admin, groupId, topics);
    const at = now();
    initial ??= lag;
    if (!first && lag < initial) first = { at, lag };
    if (lag === 0)
      return { doneAt: at, firstProgressAt: first?.at ?? at, lagAtFirstProgress: first?.lag ?? 0 };
    if (Date.now() > deadline) throw new Error(`${groupId} not caught up within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** Round trips to Elasticsearch by kind (`_mget` of the parking index, `_mget`, `_bulk`, …) while recording. */
class EsTimer {
  readonly totals: Record<string, { requests: number; ms: number }> = {};
  private readonly started = new Map<unknown, number>();
  private recording = false;

  constructor(es: Client) {
    es.diagnostic.on('request', (_error, event) => {
      if (this.recording && event) this.started.set(event.meta.request.id, now());
    });
    es.diagnostic.on('response', (_error, event) => {
      const began = event ? this.started.get(event.meta.request.id) : undefined;
      if (!event || began === undefined) return;
      this.started.delete(event.meta.request.id);
      const { method, path } = event.meta.request.params;
      const last = path.split('/').pop() ?? '';
      const kind = `${method} ${path.includes(parkingIndex) ? 'parking ' : ''}${last.startsWith('_') ? last : '(doc/index)'}`;
      const total = (this.totals[kind] ??= { requests: 0, ms: 0 });
      total.requests++;
      total.ms += now() - began;
    });
  }

  record<T>(work: () => Promise<T>): Promise<T> {
    this.recording = true;
    return work().finally(() => (this.recording = false));
  }
}

/** Batches the runners of this process have written for one projection name (from its metrics). */
interface BatchStats {
  batches: number;
  messages: number;
  seconds: number;
}

async function batchStats(metrics: ProjectionMetrics, projection: string): Promise<BatchStats> {
  const pick = async (histogram: ProjectionMetrics['batchSize'], suffix: string) =>
    (await histogram.get()).values.find(
      (v) => v.metricName?.endsWith(suffix) && v.labels.projection === projection,
    )?.value ?? 0;
  return {
    batches: await pick(metrics.batchSeconds, '_count'),
    messages: await pick(metrics.batchSize, '_sum'),
    seconds: await pick(metrics.batchSeconds, '_sum'),
  };
}

/** Mean batch size and duration between two snapshots. */
interface BatchSummary {
  batches: number;
  meanMessages: number;
  meanMs: number;
}

function batchSummary(before: BatchStats, after: BatchStats): BatchSummary {
  const batches = after.batches - before.batches;
  return {
    batches,
    meanMessages: (after.messages - before.messages) / Math.max(1, batches),
    meanMs: ((after.seconds - before.seconds) * 1000) / Math.max(1, batches),
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 0: seed
// ---------------------------------------------------------------------------------------------

interface SeedReport {
  properties: number;
  events: number;
  commitSeconds: number;
  relayedAfterS: number;
  /** Whether the live projections of `npm start` had caught up before the measurements. */
  liveCaughtUp: Record<string, boolean>;
}

async function seed(
  repository: PropertyRepository,
  admin: Admin,
  options: Options,
  progress: (text: string) => void,
): Promise<SeedReport> {
  const runId = randomUUID().slice(0, 8);
  const before = await topicTotals(admin, propertyTopic);
  const events = options.properties * (1 + options.changes);
  progress(`seeding ${options.properties} properties × (1 + ${options.changes}) events = ${events}…`);
  const start = now();
  let next = 0;
  const worker = async () => {
    while (next < options.properties) {
      const n = next++;
      const property = sampleListing(`bench-proj-${runId}-${n}`, n);
      for (let c = 1; c <= options.changes; c++) property.changePrice(moneyFromMinor(650_000_00 - c, 'EUR'));
      await repository.save(property, property.persistedVersion, saveContext());
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const committed = now();
  // The end offsets say when the connector has relayed them (other writers only add to it).
  const deadline = Date.now() + 300_000;
  while ((await topicTotals(admin, propertyTopic)).high < before.high + BigInt(events)) {
    if (Date.now() > deadline) throw new Error('the seeded events did not reach property.events in 300 s');
    await sleep(100);
  }
  const relayed = now();
  // The live projections of `npm start` fold the same events; wait so they do not compete.
  const liveCaughtUp: Record<string, boolean> = {};
  for (const group of ['projection.property-search', 'projection.market-analytics']) {
    liveCaughtUp[group] = await waitForLagZero(admin, group, [propertyTopic], 250, 120_000).then(
      () => true,
      () => false,
    );
  }
  return {
    properties: options.properties,
    events,
    commitSeconds: (committed - start) / 1000,
    relayedAfterS: (relayed - committed) / 1000,
    liveCaughtUp,
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 1: projector throughput and the plain bulk baseline
// ---------------------------------------------------------------------------------------------

interface ThroughputReport {
  /** Messages on the topic (Σ high − low) when the runner started: what it consumes. */
  events: number;
  documents: number;
  seconds: number;
  eventsPerSecond: number;
  /** From the first poll that saw a committed batch (group join and first fetch excluded). */
  afterJoinSeconds: number;
  afterJoinEventsPerSecond: number;
  batches: BatchSummary;
  /** Elasticsearch round trips of the runner (and the lag polls' none) during the run, summed. */
  elasticsearch: EsTimer['totals'];
  machineCpuBusy: number;
  processCpuCores: number;
  /** This process's CPU (the runner: decoding, folding, Elasticsearch client) per projected event. */
  cpuMsPerEvent: number;
}

interface BaselineReport {
  index: string;
  documents: number;
  requests: number;
  seconds: number;
  documentsPerSecond: number;
  /** documents/s × (events / documents) of the projector's run. */
  eventsEquivalentPerSecond: number;
  machineCpuBusy: number;
}

async function projectorPhase(
  ctx: Context,
  runner: ProjectionRunner<Doc>,
  progress: (text: string) => void,
): Promise<ThroughputReport> {
  const { admin, deps, projection } = ctx;
  const events = Number((await topicTotals(admin, propertyTopic)).messages);
  progress(`projector: ${projection.name} from offset 0 over ${events} messages…`);
  const cpu = process.cpuUsage();
  const stats = await batchStats(deps.metrics, projection.name);
  const esTimer = new EsTimer(deps.es);
  const { result: timing, machineCpuBusy } = await esTimer.record(() =>
    withMachineCpu(async () => {
      const start = now();
      await runner.start();
      return {
        start,
        ...(await waitForLagZero(admin, runner.groupId, projectionTopics(projection), 50, 600_000)),
      };
    }),
  );
  const used = process.cpuUsage(cpu);
  const result = (timing.doneAt - timing.start) / 1000;
  const afterJoinSeconds = (timing.doneAt - timing.firstProgressAt) / 1000;
  await deps.es.indices.refresh({ index: projection.alias });
  const documents = (await deps.es.count({ index: projection.alias })).count;
  return {
    events,
    documents,
    seconds: result,
    eventsPerSecond: events / result,
    afterJoinSeconds,
    afterJoinEventsPerSecond: timing.lagAtFirstProgress / afterJoinSeconds,
    batches: batchSummary(stats, await batchStats(deps.metrics, projection.name)),
    elasticsearch: esTimer.totals,
    machineCpuBusy,
    processCpuCores: (used.user + used.system) / 1e6 / result,
    cpuMsPerEvent: (used.user + used.system) / 1000 / events,
  };
}

async function allDocuments(ctx: Context): Promise<Array<{ id: string; doc: Doc }>> {
  const out: Array<{ id: string; doc: Doc }> = [];
  let after: Array<string | number> | undefined;
  for (;;) {
    const page = await ctx.deps.es.search<Doc>({
      index: ctx.projection.alias,
      size: 10_000,
      sort: [{ id: 'asc' }],
      ...(after ? { search_after: after } : {}),
    });
    const hits = page.hits.hits;
    for (const hit of hits) if (hit._id && hit._source) out.push({ id: hit._id, doc: hit._source });
    if (hits.length < 10_000) return out;
    after = hits[hits.length - 1]?.sort as Array<string | number>;
  }
}

async function baselinePhase(
  ctx: Context,
  projector: ThroughputReport,
  progress: (text: string) => void,
): Promise<BaselineReport> {
  const { deps, projection, options } = ctx;
  const documents = await allDocuments(ctx);
  const index = `${projection.alias}-plain`;
  ctx.created.add(index);
  await deps.es.indices.create({
    index,
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: projection.mappings,
  });
  progress(`baseline: ${documents.length} documents into ${index}, ${options.batchSize} per _bulk…`);
  let requests = 0;
  const { result: seconds, machineCpuBusy } = await withMachineCpu(async () => {
    const start = now();
    for (let i = 0; i < documents.length; i += options.batchSize) {
      const operations = documents
        .slice(i, i + options.batchSize)
        .flatMap(({ id, doc }) => [{ index: { _index: index, _id: id } }, doc]);
      const response = await deps.es.bulk({ operations });
      requests++;
      if (response.errors) throw new Error(`baseline bulk request ${requests} had item errors`);
    }
    return (now() - start) / 1000;
  });
  const documentsPerSecond = documents.length / seconds;
  return {
    index,
    documents: documents.length,
    requests,
    seconds,
    documentsPerSecond,
    eventsEquivalentPerSecond: documentsPerSecond * (projector.events / Math.max(1, projector.documents)),
    machineCpuBusy,
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 2: rebuild
// ---------------------------------------------------------------------------------------------

interface RebuildPhaseReport {
  events: number;
  documents: number;
  seconds: number;
  eventsPerSecond: number;
  newIndex: string;
  batches: BatchSummary;
  machineCpuBusy: number;
}

async function rebuildPhase(ctx: Context, progress: (text: string) => void): Promise<RebuildPhaseReport> {
  progress(`rebuild of ${ctx.projection.name}…`);
  const stats = await batchStats(ctx.deps.metrics, ctx.projection.name);
  const { result, machineCpuBusy } = await withMachineCpu(() =>
    rebuildProjection(ctx.deps, ctx.admin, ctx.projection, ctx.runnerOptions, (m) => progress(`  ${m}`)),
  );
  ctx.created.add(result.newIndex);
  if (result.oldIndex) ctx.created.delete(result.oldIndex);
  return {
    events: result.events,
    documents: result.documents,
    seconds: result.seconds,
    eventsPerSecond: result.events / result.seconds,
    newIndex: result.newIndex,
    batches: batchSummary(stats, await batchStats(ctx.deps.metrics, ctx.projection.name)),
    machineCpuBusy,
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 3: commit → applied / searchable latency
// ---------------------------------------------------------------------------------------------

interface Pending {
  id: string;
  version: number;
  committedAt: number;
  appliedAt?: number;
  searchableAt?: number;
}

interface LatencyReport {
  rate: number;
  durationS: number;
  committed: number;
  /** Commits whose visibility was polled for (every `--sample`th). */
  sampled: number;
  errors: number;
  errorSamples: Record<string, number>;
  refreshInterval: string;
  pollMs: number;
  commitToApplied: Distribution;
  commitToSearchable: Distribution;
  notApplied: number;
  notSearchable: number;
  /** The isolated runner's batches; undefined when the live projector was observed. */
  batches: BatchSummary | undefined;
  observed: string;
  machineCpuBusy: number;
}

/**
 * Open loop at `rate` saves/s (20 % new listings, 80 % price changes of properties listed in
 * this phase). Every `pollMs` one realtime `mget` of the pending ids marks the commits whose
 * version the index holds ("applied"), and one `ids` search (which sees only refreshed
 * segments) marks those a search can find at that version ("searchable").
 */
async function latencyPhase(
  ctx: Context,
  repository: PropertyRepository,
  rate: number,
  progress: (text: string) => void,
): Promise<LatencyReport> {
  const { deps, options } = ctx;
  // Live: the index `npm start`'s search projector writes; its batches are in that process.
  const live = options.observe === 'live';
  const alias = live ? propertySearchProjection.alias : ctx.projection.alias;
  const runnerBatches = async () => (live ? undefined : batchStats(deps.metrics, ctx.projection.name));
  const pollMs = 50;
  const runId = randomUUID().slice(0, 8);
  const idle: Property[] = [];
  const tracked: Pending[] = [];
  const unapplied = new Map<string, Pending[]>();
  const unsearchable = new Map<string, Pending[]>();
  const add = (map: Map<string, Pending[]>, p: Pending) => map.set(p.id, [...(map.get(p.id) ?? []), p]);
  let errors = 0;
  /** Why saves failed, with counts, so a run with errors says why. */
  const errorSamples: Record<string, number> = {};
  let committed = 0;
  let seq = 0;
  const commitOne = async () => {
    const reuse = idle.length > 0 && Math.random() >= 0.2;
    const property = reuse
      ? (idle.splice(Math.floor(Math.random() * idle.length), 1)[0] as Property)
      : undefined;
    const aggregate = property ?? sampleListing(`bench-proj-lat-${runId}-${seq}`, seq);
    seq++;
    if (property) property.changePrice(moneyFromMinor(640_000_00 + seq, 'EUR'));
    try {
      await repository.save(aggregate, aggregate.persistedVersion, saveContext());
      const committedAt = now();
      committed++;
      // Only a sample is polled for, so the observer's mget and search do not load Elasticsearch much.
      if (committed % options.sample === 0) {
        const p: Pending = { id: aggregate.id, version: aggregate.version, committedAt };
        tracked.push(p);
        add(unapplied, p);
        add(unsearchable, p);
      }
      idle.push(aggregate);
    } catch (error) {
      errors++;
      const reason = messageOf(error).slice(0, 120);
      errorSamples[reason] = (errorSamples[reason] ?? 0) + 1;
    }
  };

  let polling = true;
  let stragglerDeadline = Number.POSITIVE_INFINITY;
  const poll = async () => {
    while (polling || unsearchable.size > 0) {
      const tick = now();
      const appliedIds = [...unapplied.keys()];
      if (appliedIds.length > 0) {
        const got = await deps.es.mget<Pick<Doc, 'version'>>({
          index: alias,
          ids: appliedIds,
          realtime: true,
          _source_includes: ['version'],
        });
        const seen = now();
        for (const d of got.docs) {
          if (!('found' in d) || !d.found || !d._source) continue;
          const version = d._source.version;
          const waiting = unapplied.get(d._id) ?? [];
          for (const p of waiting) if (p.version <= version) p.appliedAt = seen;
          const rest = waiting.filter((p) => p.appliedAt === undefined);
          if (rest.length > 0) unapplied.set(d._id, rest);
          else unapplied.delete(d._id);
        }
      }
      const searchIds = [...unsearchable.keys()];
      if (searchIds.length > 0) {
        const found = await deps.es.search<Pick<Doc, 'version'>>({
          index: alias,
          size: searchIds.length,
          query: { ids: { values: searchIds } },
          _source: ['version'],
        });
        const seen = now();
        for (const hit of found.hits.hits) {
          if (!hit._id || !hit._source) continue;
          const version = hit._source.version;
          const waiting = unsearchable.get(hit._id) ?? [];
          for (const p of waiting) if (p.version <= version) p.searchableAt = seen;
          const rest = waiting.filter((p) => p.searchableAt === undefined);
          if (rest.length > 0) unsearchable.set(hit._id, rest);
          else unsearchable.delete(hit._id);
        }
      }
      if (!polling && now() > stragglerDeadline) break;
      await sleep(Math.max(0, pollMs - (now() - tick)));
    }
  };

  const settings = await deps.es.indices.getSettings({
    index: alias,
    include_defaults: true,
    name: 'index.refresh_interval',
  });
  const entry = Object.values(settings)[0];
  const refreshInterval =
    entry?.settings?.index?.refresh_interval?.toString() ??
    entry?.defaults?.index?.refresh_interval?.toString() ??
    'unknown';

  progress(`latency: ${rate} saves/s for ${options.latencyDuration} s (open loop)…`);
  const stats = await runnerBatches();
  const poller = poll();
  const { machineCpuBusy } = await withMachineCpu(async () => {
    const total = Math.round(rate * options.latencyDuration);
    const intervalMs = 1000 / rate;
    const inFlight: Array<Promise<void>> = [];
    const start = now();
    let issued = 0;
    while (issued < total) {
      const due = Math.min(total, Math.floor((now() - start) / intervalMs) + 1);
      for (; issued < due; issued++) inFlight.push(commitOne());
      if (issued < total) await sleep(Math.max(0, start + issued * intervalMs - now()));
    }
    await Promise.all(inFlight);
  });
  stragglerDeadline = now() + 30_000;
  polling = false;
  await poller;
  return {
    rate,
    durationS: options.latencyDuration,
    committed,
    sampled: tracked.length,
    errors,
    errorSamples,
    refreshInterval,
    pollMs,
    commitToApplied: distribution(
      tracked.flatMap((p) => (p.appliedAt === undefined ? [] : [p.appliedAt - p.committedAt])),
    ),
    commitToSearchable: distribution(
      tracked.flatMap((p) => (p.searchableAt === undefined ? [] : [p.searchableAt - p.committedAt])),
    ),
    notApplied: tracked.filter((p) => p.appliedAt === undefined).length,
    notSearchable: tracked.filter((p) => p.searchableAt === undefined).length,
    batches: stats && batchSummary(stats, (await runnerBatches()) ?? stats),
    observed: live ? `live ${propertySearchProjection.name} (alias ${alias})` : `isolated (alias ${alias})`,
    machineCpuBusy,
  };
}

// ---------------------------------------------------------------------------------------------
// Orchestration and report
// ---------------------------------------------------------------------------------------------

type Phase = 'throughput' | 'rebuild' | 'latency';
const allPhases: readonly Phase[] = ['throughput', 'rebuild', 'latency'];

interface Options {
  properties: number;
  changes: number;
  concurrency: number;
  batchSize: number;
  rates: number[];
  latencyDuration: number;
  sample: number;
  phases: Phase[];
  /** Whose index the latency phase polls: this run's isolated projector, or the live one of `npm start`. */
  observe: 'isolated' | 'live';
  json: boolean;
}

interface Context {
  options: Options;
  admin: Admin;
  deps: ReturnType<typeof createProjectionDeps>['deps'];
  runnerOptions: RunnerOptions;
  projection: Projection<Doc>;
  /** Concrete index names this run created and still has to delete. */
  created: Set<string>;
}

const nonNegativeInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be an integer ≥ 0');
  return n;
};

/** Issue 12: commit → searchable p99 at 1,000 saves/s, with the live projectors running. */
const freshnessGoalMs = 500;

function parseOptions(argv: string[]): Options {
  return new Command('bench:projections')
    .description('Projector throughput vs plain _bulk, rebuild rate, commit→searchable latency')
    .option('-p, --properties <n>', 'properties to seed', nonNegativeInt, 4000)
    .option('--changes <n>', 'price changes per seeded property', nonNegativeInt, 4)
    .option('-c, --concurrency <n>', 'concurrent saves while seeding', positiveInt('concurrency'), 16)
    .option(
      '-b, --batch-size <n>',
      'runner batch size and documents per baseline _bulk',
      positiveInt('batch'),
      2000,
    )
    .option(
      '--rates <list>',
      'offered loads of the latency phase, saves/s',
      (v: string) => v.split(',').map((r) => positiveInt('rate')(r.trim())),
      [500, 1000],
    )
    .option('--latency-duration <s>', 'seconds per offered load', positiveInt('duration'), 15)
    .option('--sample <n>', 'poll for every n-th commit of the latency phase', positiveInt('sample'), 10)
    .option(
      '--phases <list>',
      'throughput,rebuild,latency',
      (v: string) =>
        v.split(',').map((p) => {
          if (!allPhases.includes(p.trim() as Phase)) throw new InvalidArgumentError(`unknown phase "${p}"`);
          return p.trim() as Phase;
        }),
      [...allPhases],
    )
    .option(
      '--observe <projector>',
      "latency phase: poll the isolated projector's index, or the live one (`npm start` must run search)",
      (v: string) => {
        if (v !== 'isolated' && v !== 'live') throw new InvalidArgumentError('isolated or live');
        return v;
      },
      'isolated',
    )
    .option('--json', 'print the result as JSON', false)
    .parse(argv)
    .opts<Options>();
}

interface BenchResult {
  commandLine: string;
  startedAt: string;
  machine: { cores: number; cpu: string; node: string; platform: string; backgroundCpuBusy: number };
  projection: {
    name: string;
    alias: string;
    batchSize: number;
    fetchWaitMs: number;
    partitionsConcurrently: number;
  };
  options: Options;
  seed?: SeedReport;
  projector?: ThroughputReport;
  baseline?: BaselineReport;
  projectorToPlain: number | null;
  rebuild?: RebuildPhaseReport;
  latency: LatencyReport[];
  goals: { ratio: boolean | null; rebuild: boolean | null; latencyP99: boolean | null };
}

/** The live search projector of `npm start` must be a member of its group, or nothing is observed. */
async function requireLiveProjector(admin: Admin): Promise<void> {
  const group = `projection.${propertySearchProjection.name}`;
  const { groups } = await admin.describeGroups([group]);
  const members = groups[0]?.members.length ?? 0;
  if (members === 0)
    throw new Error(
      `--observe live: the group ${group} has no member; start the projectors first (npm start, or npm start -- --only search,analytics)`,
    );
}

async function cleanup(ctx: Context, runner: ProjectionRunner<Doc>): Promise<void> {
  await runner.stop().catch(() => undefined);
  const { es } = ctx.deps;
  const aliased = Object.keys(await es.indices.getAlias({ name: ctx.projection.alias }, { ignore: [404] }));
  const indices = [...new Set([...ctx.created, ...aliased])].filter(
    (i) => i !== 'error' && i !== 'status' && i.startsWith(ctx.projection.alias),
  );
  if (indices.length > 0) await es.indices.delete({ index: indices }, { ignore: [404] });
  await ctx.admin.deleteGroups([runner.groupId]).catch(() => undefined);
  // Parking documents written moments ago are not searchable yet: refresh first. This
  // Elasticsearch has no _delete_by_query, so they are deleted by id.
  await es.indices.refresh({ index: parkingIndex }, { ignore: [404] }).catch(() => undefined);
  const parked = await es
    .search({
      index: parkingIndex,
      size: 10_000,
      _source: false,
      query: { term: { projection: ctx.projection.name } },
    })
    .catch(() => undefined);
  const ids = parked?.hits.hits.flatMap((hit) => (hit._id ? [hit._id] : [])) ?? [];
  if (ids.length > 0)
    await es.bulk({
      refresh: true,
      operations: ids.map((id) => ({ delete: { _index: parkingIndex, _id: id } })),
    });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  const progress = (text: string) => {
    if (!options.json) process.stderr.write(`${text}\n`);
  };
  const config = loadConfig(projectionConfigSchema, { ...process.env, LOG_LEVEL: 'silent' });
  const { deps, runnerOptions } = createProjectionDeps(
    'bench-projections',
    config,
    propertySearchProjection.streams,
  );
  const suffix = randomUUID().slice(0, 8);
  const projection: Projection<Doc> = {
    ...propertySearchProjection,
    name: `bench-projections-${suffix}`,
    alias: `properties-bench-${suffix}`,
  };
  const admin = kafka.admin();
  await admin.connect();
  const ctx: Context = {
    options,
    admin,
    deps,
    runnerOptions: { ...runnerOptions, batchSize: options.batchSize },
    projection,
    created: new Set(),
  };
  const harness = await startPropertyService();
  const repository = harness.service.repository;
  const { machineCpuBusy: background } = await withMachineCpu(() => sleep(1000));
  const result: BenchResult = {
    commandLine: commandLine('bench:projections', 'bench/projections.ts'),
    startedAt: new Date().toISOString(),
    machine: {
      cores: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      backgroundCpuBusy: background,
    },
    projection: {
      name: projection.name,
      alias: projection.alias,
      batchSize: ctx.runnerOptions.batchSize,
      fetchWaitMs: (ctx.runnerOptions.group ?? defaultGroupSettings).fetchWaitMs,
      partitionsConcurrently: ctx.runnerOptions.partitionsConcurrently,
    },
    options,
    projectorToPlain: null,
    latency: [],
    goals: { ratio: null, rebuild: null, latencyP99: null },
  };
  const runner = new ProjectionRunner(deps, projection, ctx.runnerOptions);
  try {
    const live = options.observe === 'live';
    if (live) await requireLiveProjector(admin);
    if (options.properties > 0) result.seed = await seed(repository, admin, options, progress);
    // The isolated projector replays the topic for throughput and rebuild, and is the one
    // observed unless the live one is; observing the live one alone, it does not run at all.
    const needsIsolated = !live || options.phases.some((phase) => phase !== 'latency');
    if (needsIsolated) {
      result.projector = await projectorPhase(ctx, runner, progress);
      const aliased = Object.keys(await deps.es.indices.getAlias({ name: projection.alias }));
      for (const index of aliased) ctx.created.add(index);
    }
    if (options.phases.includes('throughput') && result.projector) {
      const projector = result.projector;
      result.baseline = await baselinePhase(ctx, projector, progress);
      result.projectorToPlain = projector.eventsPerSecond / result.baseline.eventsEquivalentPerSecond;
      result.goals.ratio = result.projectorToPlain >= 0.8;
    }
    if (options.phases.includes('rebuild')) {
      result.rebuild = await rebuildPhase(ctx, progress);
      result.goals.rebuild = result.rebuild.eventsPerSecond >= 10_000;
    }
    if (options.phases.includes('latency')) {
      // Observing the live projector, the isolated one would only compete with it for the cores.
      if (live) await runner.stop();
      for (const rate of options.rates)
        result.latency.push(await latencyPhase(ctx, repository, rate, progress));
      result.goals.latencyP99 = result.latency.every(
        (l) => l.notSearchable === 0 && l.commitToSearchable.p99Ms <= freshnessGoalMs,
      );
    }
  } finally {
    await cleanup(ctx, runner);
    await admin.disconnect();
    await harness.close();
    await deps.es.close();
  }
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else printReport(result);
}

const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '-');
const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
const goal = (met: boolean | null) => (met === null ? '' : met ? ' (goal met)' : ' (goal MISSED)');

function printReport(r: BenchResult): void {
  const m = r.machine;
  const lines = [
    `command: ${r.commandLine}`,
    `machine: ${m.cores} cores (${m.cpu}), node ${m.node}, ${m.platform}; ${pct(m.backgroundCpuBusy)} busy before the run`,
    `projection: ${r.projection.name} (alias ${r.projection.alias}), batchSize ${r.projection.batchSize}, fetch wait ${r.projection.fetchWaitMs} ms, ${r.projection.partitionsConcurrently} partitions at once`,
  ];
  if (r.seed)
    lines.push(
      `seed: ${int(r.seed.events)} events (${int(r.seed.properties)} properties) committed in ${r.seed.commitSeconds.toFixed(1)} s, ` +
        `on the topic ${r.seed.relayedAfterS.toFixed(1)} s later; live groups caught up: ${Object.entries(
          r.seed.liveCaughtUp,
        )
          .map(([g, ok]) => `${g}=${ok ? 'yes' : 'NO'}`)
          .join(', ')}`,
    );
  lines.push('');
  const rows: string[][] = [];
  const p = r.projector;
  if (p)
    rows.push([
      'projector: runner from offset 0 until group lag 0',
      int(p.events),
      int(p.documents),
      p.seconds.toFixed(2),
      int(p.eventsPerSecond),
      '',
      pct(p.machineCpuBusy),
    ]);
  const b = r.baseline;
  if (b)
    rows.push([
      `plain _bulk of the final documents (${int(b.requests)} requests)`,
      '',
      int(b.documents),
      b.seconds.toFixed(2),
      int(b.eventsEquivalentPerSecond),
      int(b.documentsPerSecond),
      pct(b.machineCpuBusy),
    ]);
  const rb = r.rebuild;
  if (rb)
    rows.push([
      'rebuildProjection (refresh off, alias swap)',
      int(rb.events),
      int(rb.documents),
      rb.seconds.toFixed(2),
      int(rb.eventsPerSecond),
      '',
      pct(rb.machineCpuBusy),
    ]);
  if (rows.length > 0)
    lines.push(
      ...table(['throughput', 'events', 'documents', 'seconds', 'events/s', 'docs/s', 'machine'], rows),
      '',
    );
  const batches = (b: BatchSummary) =>
    `${int(b.batches)} batches, mean ${int(b.meanMessages)} messages in ${ms(b.meanMs)} ms`;
  if (p)
    lines.push(
      `projector: ${int(p.afterJoinEventsPerSecond)} events/s after the group joined and committed its first batch ` +
        `(${p.afterJoinSeconds.toFixed(2)} s of ${p.seconds.toFixed(2)} s); ${batches(p.batches)}; ` +
        `this process ${p.processCpuCores.toFixed(2)} cores, ${p.cpuMsPerEvent.toFixed(3)} CPU ms per event`,
    );
  if (p)
    lines.push(
      `projector Elasticsearch round trips (summed over concurrent batches): ${Object.entries(p.elasticsearch)
        .map(([kind, t]) => `${kind} ${int(t.requests)}× ${ms(t.ms / t.requests)} ms`)
        .join(', ')}; batches ${int(p.batches.batches * p.batches.meanMs)} ms in all`,
    );
  if (rb) lines.push(`rebuild: ${batches(rb.batches)} (lag polled every 1 s by rebuildProjection)`);
  if (r.projectorToPlain !== null)
    lines.push(
      `projector/plain (events/s vs events-equivalent/s): ${r.projectorToPlain.toFixed(2)}${goal(r.goals.ratio)}`,
    );
  if (rb) lines.push(`rebuild: ${int(rb.eventsPerSecond)} events/s${goal(r.goals.rebuild)}`);
  if (r.latency.length > 0) {
    lines.push('');
    const latencyRows = r.latency.flatMap((l) => [
      [
        `${l.rate}/s commit → applied (realtime mget)`,
        int(l.sampled),
        ms(l.commitToApplied.p50Ms),
        ms(l.commitToApplied.p90Ms),
        ms(l.commitToApplied.p99Ms),
        ms(l.commitToApplied.maxMs),
        int(l.notApplied),
        pct(l.machineCpuBusy),
      ],
      [
        `${l.rate}/s commit → searchable (ids search)`,
        int(l.sampled),
        ms(l.commitToSearchable.p50Ms),
        ms(l.commitToSearchable.p90Ms),
        ms(l.commitToSearchable.p99Ms),
        ms(l.commitToSearchable.maxMs),
        int(l.notSearchable),
        '',
      ],
    ]);
    lines.push(
      ...table(
        ['latency', 'sampled', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'missing', 'machine'],
        latencyRows,
      ),
      '',
      ...r.latency.map(
        (l) =>
          `${l.rate}/s: ${int(l.committed)} committed, every ${r.options.sample}th polled for; observed the ${l.observed} projector` +
          (l.batches ? `; runner ${batches(l.batches)}` : ''),
      ),
      `polled every ${r.latency[0]?.pollMs ?? 50} ms (resolution); index refresh_interval ${r.latency[0]?.refreshInterval ?? '?'}; ` +
        `save errors ${r.latency.map((l) => l.errors).join('/')}; goal p99 searchable ≤ ${freshnessGoalMs} ms${goal(r.goals.latencyP99)}`,
      ...r.latency.flatMap((l) =>
        Object.entries(l.errorSamples).map(
          ([reason, count]) => `${l.rate}/s save error ×${count}: ${reason}`,
        ),
      ),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

runBench(main);
