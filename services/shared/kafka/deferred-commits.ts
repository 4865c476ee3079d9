import type { Consumer } from 'kafkajs';
import type { Logger } from '../observability/logger';

/** The next offset to read of one partition: what a commit records. */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Commits consumed offsets at most once per `intervalMs` instead of after every batch.
 * At moderate rates a fetch brings a message or two, and committing each batch doubled the
 * requests every consumer sent the broker. A crash (or a partition moved by a rebalance)
 * redelivers at most an interval's messages, which every handler and projector already
 * takes (inbox, version guard). `flush` commits what is pending now: before stopping, and
 * whenever the caller needs the commit to have happened. A failed commit (the group moved
 * on: those partitions belong to another member now) is reported and dropped; the messages
 * are redelivered to their new owner.
 */
export class DeferredCommits {
  private readonly pending = new Map<string, PartitionOffset>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private atOnce = false;

  constructor(
    private readonly commit: (offsets: PartitionOffset[]) => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown, offsets: PartitionOffset[]) => void,
  ) {}

  /** The commits of a group member, `name` (its consumer or projector) in the log when one fails. */
  static of(consumer: Consumer, intervalMs: number, logger: Logger, name: string): DeferredCommits {
    return new DeferredCommits(
      (offsets) => consumer.commitOffsets(offsets),
      intervalMs,
      (error) => logger.info({ err: error }, `${name}: offsets not committed (the group moved on)`),
    );
  }

  /** `offset` (the next to read) of the partition is to be committed; the latest mark wins. */
  mark(topic: string, partition: number, offset: string): Promise<void> {
    this.pending.set(`${topic}/${partition}`, { topic, partition, offset });
    if (this.intervalMs === 0 || this.atOnce) return this.flush();
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
    return Promise.resolve();
  }

  /** Commits everything marked so far (after any commit already on its way). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const offsets = [...this.pending.values()];
    this.pending.clear();
    if (offsets.length > 0) {
      this.inFlight = this.inFlight.then(() =>
        this.commit(offsets).catch((error: unknown) => this.onError(error, offsets)),
      );
    }
    return this.inFlight;
  }

  /**
   * From now on every mark is committed at once, and what is pending now too. For a consumer
   * that is stopping: kafkajs commits only while the consumer runs, so the work it finishes
   * while it stops must be committed then, not at the next interval or after the stop.
   */
  commitAtOnce(): Promise<void> {
    this.atOnce = true;
    return this.flush();
  }

  /** Forgets what was marked (the consumer is gone; its next owner reads from the last commit). */
  discard(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
