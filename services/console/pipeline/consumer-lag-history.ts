import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../../shared/observability/logger';
import { DueTimeTask } from '../../shared/service/due-time-task';
import type { Worker } from '../../shared/service/worker';

/** One sample: when, and each live consumer group's lag (messages not committed yet). */
export interface LagSample {
  at: string;
  lag: Record<string, number>;
}

/** Groups that are not a service's own: throwaway readers of the CLIs, tests and the console. */
const THROWAWAY = /^(reader-|rebuild\.|slot-recovery-|console-|verify-|test-)/;

/** The lag of every consumer group that has members now, from its committed offsets. */
export async function liveGroupLag(admin: Admin): Promise<Record<string, number>> {
  const { groups } = await admin.listGroups();
  const candidates = groups
    .filter((g) => g.protocolType === 'consumer' && !THROWAWAY.test(g.groupId))
    .map((g) => g.groupId);
  if (candidates.length === 0) return {};
  const described = await admin.describeGroups(candidates);
  const live = described.groups.filter((g) => g.state === 'Stable' || g.state.endsWith('Rebalance'));
  const ends = new Map<string, Map<number, bigint>>();
  const endOf = async (topic: string) => {
    let offsets = ends.get(topic);
    if (!offsets) {
      offsets = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
      ends.set(topic, offsets);
    }
    return offsets;
  };
  const lag: Record<string, number> = {};
  for (const group of live) {
    let total = 0n;
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group.groupId })) {
      const high = await endOf(topic);
      for (const p of partitions) {
        // -1: nothing committed yet; the group starts where its reset policy says, not counted.
        if (p.offset === '-1') continue;
        const behind = (high.get(p.partition) ?? 0n) - BigInt(p.offset);
        if (behind > 0n) total += behind;
      }
    }
    lag[group.groupId] = Number(total);
  }
  return lag;
}

/**
 * Samples the consumer lag of every live group every `sampleMs` and keeps `windowMs` of
 * samples in memory: the Pipeline page's "last minutes" chart. It samples only while the
 * chart is looked at (its history asked for within the last `windowMs`): each sample asks
 * the broker about every group, which nobody needs while no one watches.
 */
export class ConsumerLagHistory implements Worker {
  readonly name = 'consumer-lag-history';
  private readonly samples: LagSample[] = [];
  private readonly task: DueTimeTask;
  private admin: Admin | undefined;
  private watchedAt = 0;
  private sampling = false;

  constructor(
    private readonly kafka: Kafka,
    readonly sampleMs: number,
    private readonly windowMs: number,
    logger: Logger,
  ) {
    this.task = DueTimeTask.every(this.name, sampleMs, () => this.sample(), logger);
  }

  async start(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
  }

  async stop(): Promise<void> {
    this.sampling = false;
    await this.task.stop();
    await this.admin?.disconnect();
    this.admin = undefined;
  }

  /** The samples so far; asking (the Pipeline page polls it) keeps sampling going for `windowMs`. */
  history(): LagSample[] {
    this.watchedAt = Date.now();
    if (!this.sampling && this.admin) {
      this.sampling = true;
      void this.task.start();
    }
    return [...this.samples];
  }

  private async sample(): Promise<void> {
    if (!this.admin) return;
    if (Date.now() - this.watchedAt > this.windowMs) {
      // Not awaited: stop() waits for the run in progress, which is this one.
      this.sampling = false;
      void this.task.stop();
      return;
    }
    this.samples.push({ at: new Date().toISOString(), lag: await liveGroupLag(this.admin) });
    const oldest = Date.now() - this.windowMs;
    while (this.samples.length > 0 && Date.parse(this.samples[0]?.at ?? '') < oldest) this.samples.shift();
  }
}
