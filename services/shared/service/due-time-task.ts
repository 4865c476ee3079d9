import type { Logger } from '../observability/logger';
import type { Worker } from './worker';

/**
 * Runs `task` at start and then when there is something for it to do: each run answers
 * when the next one is due (the earliest pending deadline, say), and `wakeBy` brings a run
 * forward when new work falls due sooner. At rest it costs one run every `maxIdleMs`, the
 * bound that also covers work it was not told about (another process's deadlines, a failed
 * run); a task that never names a due time (`DueTimeTask.every`) runs on that fixed beat.
 *
 * Never two runs at once: a wake-up during a run makes the next run start right after it.
 * stop() waits for a run in progress, so nothing uses a pool that is being closed.
 */
export class DueTimeTask implements Worker {
  private timer: NodeJS.Timeout | undefined;
  /** When the scheduled run fires (ms since the epoch); Infinity when none is scheduled. */
  private scheduledAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | undefined;
  private runAgain = false;
  private started = false;

  constructor(
    readonly name: string,
    private readonly task: () => Promise<Date | undefined>,
    private readonly maxIdleMs: number,
    private readonly logger: Logger,
  ) {}

  /** A task on a fixed beat: at start, then every `intervalMs` after each run. */
  static every(name: string, intervalMs: number, task: () => Promise<void>, logger: Logger): DueTimeTask {
    return new DueTimeTask(
      name,
      async () => {
        await task();
        return undefined;
      },
      intervalMs,
      logger,
    );
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.schedule(Date.now());
  }

  /** Makes sure a run starts no later than `at`. */
  wakeBy(at: Date): void {
    if (this.started && at.getTime() < this.scheduledAt) this.schedule(at.getTime());
  }

  async stop(): Promise<void> {
    this.started = false;
    this.cancel();
    await this.running;
  }

  private schedule(at: number): void {
    this.cancel();
    this.scheduledAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.scheduledAt = Number.POSITIVE_INFINITY;
  }

  private fire(): void {
    this.timer = undefined;
    this.scheduledAt = Number.POSITIVE_INFINITY;
    if (this.running) {
      this.runAgain = true;
      return;
    }
    this.running = this.task()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, `${this.name} failed; it runs again later`);
        return undefined;
      })
      .then((nextDue) => {
        this.running = undefined;
        if (!this.started) return;
        const latest = Date.now() + this.maxIdleMs;
        const next = this.runAgain ? Date.now() : Math.min(nextDue?.getTime() ?? latest, latest);
        this.runAgain = false;
        if (next < this.scheduledAt) this.schedule(next);
      });
  }
}
