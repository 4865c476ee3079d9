import { rebuildProjection } from '../../services/shared/projection/rebuild';
import { withMachineCpu } from '../support/measure';
import { batchStats, batchSummary, type BatchSummary } from './batch-stats';
import type { Context } from './context';

export interface RebuildPhaseReport {
  events: number;
  documents: number;
  seconds: number;
  eventsPerSecond: number;
  newIndex: string;
  batches: BatchSummary;
  machineCpuBusy: number;
}

/** `rebuildProjection` of the isolated projection, as an operator would run it: a new index, then the alias swap. */
export async function rebuildPhase(
  ctx: Context,
  progress: (text: string) => void,
): Promise<RebuildPhaseReport> {
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
