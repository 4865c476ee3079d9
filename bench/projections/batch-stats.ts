import type { ProjectionMetrics } from '../../services/shared/projection/projection-metrics';

/** Batches the runners of this process have written for one projection name (from its metrics). */
export interface BatchStats {
  batches: number;
  messages: number;
  seconds: number;
}

export async function batchStats(metrics: ProjectionMetrics, projection: string): Promise<BatchStats> {
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
export interface BatchSummary {
  batches: number;
  meanMessages: number;
  meanMs: number;
}

export function batchSummary(before: BatchStats, after: BatchStats): BatchSummary {
  const batches = after.batches - before.batches;
  return {
    batches,
    meanMessages: (after.messages - before.messages) / Math.max(1, batches),
    meanMs: ((after.seconds - before.seconds) * 1000) / Math.max(1, batches),
  };
}
