/**
 * Group commit for concurrent partition batches: kafkajs hands each partition's batch to
 * its own `eachBatch` call, and writing each one separately costs the same three
 * Elasticsearch round trips whether it holds 5 messages or 2,000. Batches submitted
 * within `windowMs` of each other (or while `maxInFlight` flushes are running) are
 * flushed together, so one parking lookup, one document read and one bulk write serve
 * every partition that had messages. Each submitter learns the outcome of the flush that
 * carried its batch, so it commits its own offsets only after its writes are acknowledged.
 */
export class BatchCoalescer<T> {
  private pending: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;

  constructor(
    private readonly flushAll: (items: T[]) => Promise<void>,
    private readonly windowMs: number,
    private readonly maxInFlight = 2,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer || this.pending.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.windowMs);
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.inFlight += 1;
    try {
      await this.flushAll(batch.map((b) => b.item));
      for (const b of batch) b.resolve();
    } catch (error) {
      for (const b of batch) b.reject(error);
    } finally {
      this.inFlight -= 1;
      this.schedule();
    }
  }
}
