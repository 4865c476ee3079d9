import { retryTransient } from '../kafka/retry-transient';
import type { ServiceRuntime } from './service-runtime';
import type { Worker } from './worker';

/**
 * The workers of one service process: started one at a time, each retried with backoff
 * while its start fails (Kafka or Elasticsearch not reachable yet) until it starts or the
 * service stops; counted for readiness; stopped in the reverse order of their start.
 */
export class ServiceWorkers {
  private readonly started: Worker[] = [];
  private stopping = false;

  constructor(private readonly runtime: ServiceRuntime) {}

  /**
   * A worker counts for readiness from the moment it is meant to run: while it starts, the
   * process is not ready. Workers left unstarted on purpose (an API-only test) do not count.
   */
  expectReady(worker: Worker): void {
    this.runtime.readiness.add(worker.name, async () => {
      const reason = this.started.includes(worker) ? worker.notReadyReason?.() : 'not started';
      if (reason) throw new Error(reason);
    });
  }

  /** Starts those of `workers` not started yet, in order; `expect`: count each for readiness first. */
  async start(workers: readonly Worker[], expect: boolean): Promise<void> {
    for (const worker of workers.filter((w) => !this.started.includes(w))) {
      if (expect) this.expectReady(worker);
      await retryTransient(
        () => worker.start(),
        { initialMs: 500, maxMs: 30_000 },
        {
          isRunning: () => !this.stopping,
          heartbeat: async () => undefined,
          onRetry: (error, attempt, delayMs) =>
            this.runtime.logger.warn(
              { err: error, attempt, delayMs },
              `${worker.name}: could not start (a dependency is unavailable); retrying`,
            ),
        },
      );
      this.started.push(worker);
    }
  }

  /** No more start attempts: a worker still retrying its start gives up. The first step of stopping. */
  halt(): void {
    this.stopping = true;
  }

  /** Stops the started workers, last started first; one that fails to stop is logged, not fatal. */
  async stop(): Promise<void> {
    for (const worker of this.started.splice(0).reverse()) {
      await worker
        .stop()
        .catch((error: unknown) =>
          this.runtime.logger.warn({ err: error }, `${worker.name}: stopping failed`),
        );
    }
  }
}
