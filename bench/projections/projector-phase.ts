import { propertyTopic } from '../../services/property/published';
import { projectionTopics } from '../../services/shared/projection/projection';
import type { ProjectionRunner } from '../../services/shared/projection/projection-runner';
import { now, withMachineCpu } from '../support/measure';
import { batchStats, batchSummary, type BatchSummary } from './batch-stats';
import type { Context, Doc } from './context';
import { EsTimer } from './es-timer';
import { topicTotals, waitForLagZero } from './topic-progress';

export interface ThroughputReport {
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

/** The isolated projector from offset 0 until its group's lag is 0: the whole topic, folded. */
export async function projectorPhase(
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
