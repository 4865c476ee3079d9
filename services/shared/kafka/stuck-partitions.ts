import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../observability/logger';
import type { RetryHooks, Stall, StallEnd } from './retry-transient';
import { messageOf } from '../errors/message-of';

/** How long transient retries may block a partition before it is reported (CONSUMER_STUCK_WARN_MS). */
export const defaultStuckWarnMs = 30_000;

/** A partition as one consumer (a consumer group member of this process) reads it. */
export interface PartitionOfConsumer {
  /** The consumer's name: a MessageConsumer's name, a projection runner's group id. */
  consumer: string;
  topic: string;
  partition: number;
}

interface Entry extends PartitionOfConsumer {
  /** Set while stuck: when the work it is stuck on began (epoch ms). */
  stuckSince: number | undefined;
}

/**
 * The partitions this process's consumers are stuck on, exported per registry as
 * `deedstream_consumer_stuck_partitions{consumer}` (how many) and
 * `deedstream_consumer_partition_stuck_seconds{consumer,topic,partition}` (for how long,
 * computed at scrape time). A partition that moves again goes back to 0 instead of
 * vanishing, so a graph shows when it recovered.
 */
export class StuckPartitions {
  private readonly entries = new Map<string, Entry>();

  constructor(registry: Registry) {
    const entries = this.entries;
    new Gauge({
      name: 'deedstream_consumer_stuck_partitions',
      help: 'Partitions whose current message has been retried (transient failures) for longer than CONSUMER_STUCK_WARN_MS',
      labelNames: ['consumer'],
      registers: [registry],
      collect() {
        const counts = new Map<string, number>();
        for (const e of entries.values())
          counts.set(e.consumer, (counts.get(e.consumer) ?? 0) + (e.stuckSince === undefined ? 0 : 1));
        for (const [consumer, count] of counts) this.set({ consumer }, count);
      },
    });
    new Gauge({
      name: 'deedstream_consumer_partition_stuck_seconds',
      help: 'How long a stuck partition has been retrying its current message; 0 once it moves again',
      labelNames: ['consumer', 'topic', 'partition'],
      registers: [registry],
      collect() {
        const now = Date.now();
        for (const e of entries.values()) {
          const seconds = e.stuckSince === undefined ? 0 : (now - e.stuckSince) / 1000;
          this.set({ consumer: e.consumer, topic: e.topic, partition: String(e.partition) }, seconds);
        }
      },
    });
  }

  stuck(at: PartitionOfConsumer, since: number): void {
    this.entries.set(keyOf(at), { ...at, stuckSince: since });
  }

  moving(at: PartitionOfConsumer): void {
    const entry = this.entries.get(keyOf(at));
    if (entry) entry.stuckSince = undefined;
  }
}

const keyOf = (at: PartitionOfConsumer) => `${at.consumer}\u0000${at.topic}\u0000${at.partition}`;

// prom-client refuses a second metric of one name in a registry, and a process may run
// several consumers (a participant and a projector) on one registry: one tracker each.
const trackers = new WeakMap<Registry, StuckPartitions>();
export function stuckPartitionsOf(registry: Registry): StuckPartitions {
  let tracker = trackers.get(registry);
  if (!tracker) {
    tracker = new StuckPartitions(registry);
    trackers.set(registry, tracker);
  }
  return tracker;
}

/** retryTransient hooks that log a stuck partition once, update the gauges, and log its recovery. */
export function stuckPartitionHooks(
  tracker: StuckPartitions,
  logger: Logger,
  at: PartitionOfConsumer,
): Required<Pick<RetryHooks, 'onStuck' | 'onStuckEnded'>> {
  const where = `${at.consumer}: ${at.topic}[${at.partition}]`;
  const context = { consumer: at.consumer, topic: at.topic, partition: at.partition };
  const seconds = (stall: Stall) => Math.round((Date.now() - stall.since) / 1000);
  return {
    onStuck: (stall) => {
      tracker.stuck(at, stall.since);
      logger.warn(
        { ...context, err: stall.firstError, stuckMs: Date.now() - stall.since, retries: stall.retries },
        `${where} stuck for ${seconds(stall)} s, still retrying; first error: ${messageOf(stall.firstError)}`,
      );
    },
    onStuckEnded: (stall: Stall, end: StallEnd) => {
      tracker.moving(at);
      const figures = { ...context, stuckMs: Date.now() - stall.since, retries: stall.retries, end };
      const summary = `${seconds(stall)} s, ${stall.retries} retries`;
      if (end === 'succeeded') logger.info(figures, `${where} recovered after ${summary}`);
      else if (end === 'failed') logger.warn(figures, `${where} failed for good after ${summary}`);
      else logger.info(figures, `${where} released while stuck (${summary}); its next owner retries`);
    },
  };
}
