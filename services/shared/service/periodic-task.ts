import type { Logger } from '../observability/logger';
import type { Worker } from './worker';

/**
 * Runs `task` every `intervalMs` (never two runs at once). A failed run is logged and the
 * next one tries again; stop() waits for a run in progress, so nothing uses a pool that
 * is being closed.
 */
export class PeriodicTask implements Worker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.timer) return;
    this.timer = setInterval(() => this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs the task now unless a run is in progress; resolves when that run ends. */
  runOnce(): Promise<void> {
    this.running ??= this.task()
      .catch((error: unknown) => this.logger.warn({ err: error }, `${this.name} failed; it runs again later`))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
