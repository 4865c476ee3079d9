import { int, percent } from '../support/format';
import { machineLine, type Machine } from '../support/machine';
import { table } from '../support/measure';
import type { BaselineReport } from './baseline-phase';
import type { BatchSummary } from './batch-stats';
import { freshnessGoalMs, type LatencyReport } from './latency-phase';
import type { Options } from './options';
import type { ThroughputReport } from './projector-phase';
import type { RebuildPhaseReport } from './rebuild-phase';
import type { SeedReport } from './seed';

/** Everything a run measured, as `--json` prints it. */
export interface BenchResult {
  commandLine: string;
  startedAt: string;
  machine: Machine;
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

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '-');
const goal = (met: boolean | null) => (met === null ? '' : met ? ' (goal met)' : ' (goal MISSED)');
const batches = (b: BatchSummary) =>
  `${int(b.batches)} batches, mean ${int(b.meanMessages)} messages in ${ms(b.meanMs)} ms`;

export function printReport(r: BenchResult): void {
  const lines = [
    `command: ${r.commandLine}`,
    machineLine(r.machine, 'the run'),
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
  lines.push('', ...throughputLines(r));
  if (r.latency.length > 0) lines.push('', ...latencyLines(r));
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The projector, the plain baseline and the rebuild side by side, then what explains them. */
function throughputLines(r: BenchResult): string[] {
  const lines: string[] = [];
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
      percent(p.machineCpuBusy),
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
      percent(b.machineCpuBusy),
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
      percent(rb.machineCpuBusy),
    ]);
  if (rows.length > 0)
    lines.push(
      ...table(['throughput', 'events', 'documents', 'seconds', 'events/s', 'docs/s', 'machine'], rows),
      '',
    );
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
  return lines;
}

/** Commit → applied and commit → searchable per offered load, then how they were observed. */
function latencyLines(r: BenchResult): string[] {
  const latencyRows = r.latency.flatMap((l) => [
    [
      `${l.rate}/s commit → applied (realtime mget)`,
      int(l.sampled),
      ms(l.commitToApplied.p50Ms),
      ms(l.commitToApplied.p90Ms),
      ms(l.commitToApplied.p99Ms),
      ms(l.commitToApplied.maxMs),
      int(l.notApplied),
      percent(l.machineCpuBusy),
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
  return [
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
      Object.entries(l.errorSamples).map(([reason, count]) => `${l.rate}/s save error ×${count}: ${reason}`),
    ),
  ];
}
