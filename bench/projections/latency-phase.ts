import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import type { Property } from '../../services/property/domain/property';
import { propertySearchProjection } from '../../services/search/projections/property-search-projection';
import { moneyFromMinor } from '../../services/shared/domain/money';
import { messageOf } from '../../services/shared/errors/message-of';
import { countErrorSample } from '../support/error-samples';
import { distribution, now, sleep, withMachineCpu, type Distribution } from '../support/measure';
import { benchSaveContext, type PropertyRepository } from '../support/property-saves';
import { sampleListing } from '../support/sample-listing';
import { batchStats, batchSummary, type BatchSummary } from './batch-stats';
import { CommitVisibility, refreshIntervalOf } from './commit-visibility';
import type { Context } from './context';

/** Issue 12: commit → searchable p99 at 1,000 saves/s, with the live projectors running. */
export const freshnessGoalMs = 500;

export interface LatencyReport {
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

/** The live search projector of `npm start` must be a member of its group, or nothing is observed. */
export async function requireLiveProjector(admin: Admin): Promise<void> {
  const group = `projection.${propertySearchProjection.name}`;
  const { groups } = await admin.describeGroups([group]);
  const members = groups[0]?.members.length ?? 0;
  if (members === 0)
    throw new Error(
      `--observe live: the group ${group} has no member; start the projectors first (npm start, or npm start -- --only search,analytics)`,
    );
}

/**
 * Open loop at `rate` saves/s (20 % new listings, 80 % price changes of properties listed in
 * this phase), every `--sample`th commit watched until it is applied and searchable.
 */
export async function latencyPhase(
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
  const visibility = new CommitVisibility(deps.es, alias, 50);
  const runId = randomUUID().slice(0, 8);
  const idle: Property[] = [];
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
    if (property) property.execute({ type: 'ChangePrice', price: moneyFromMinor(640_000_00 + seq, 'EUR') });
    try {
      await repository.save(aggregate, aggregate.persistedVersion, benchSaveContext('bench-projections'));
      const committedAt = now();
      committed++;
      // Only a sample is polled for, so the observer's mget and search do not load Elasticsearch much.
      if (committed % options.sample === 0)
        visibility.track({ id: aggregate.id, version: aggregate.version, committedAt });
      idle.push(aggregate);
    } catch (error) {
      errors++;
      countErrorSample(errorSamples, messageOf(error), Number.POSITIVE_INFINITY, 120);
    }
  };

  const refreshInterval = await refreshIntervalOf(deps.es, alias);

  progress(`latency: ${rate} saves/s for ${options.latencyDuration} s (open loop)…`);
  const stats = await runnerBatches();
  visibility.start();
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
  await visibility.finish(30_000);
  const { tracked } = visibility;
  return {
    rate,
    durationS: options.latencyDuration,
    committed,
    sampled: tracked.length,
    errors,
    errorSamples,
    refreshInterval,
    pollMs: visibility.pollMs,
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
