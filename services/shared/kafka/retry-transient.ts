import { isTransient } from './transient';

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
}

/**
 * Runs `work` until it succeeds, retrying transient failures (see isTransient) with
 * exponential backoff and full jitter, capped, so many consumers do not retry in step.
 * Heartbeats while waiting so the consumer keeps its partitions; gives up (rethrows)
 * on a permanent failure or once the consumer stops running.
 */
export async function retryTransient(
  work: () => Promise<void>,
  policy: RetryPolicy,
  hooks: {
    isRunning: () => boolean;
    heartbeat: () => Promise<void>;
    onRetry: (error: unknown, attempt: number, delayMs: number) => void;
  },
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await work();
      return;
    } catch (error) {
      if (!isTransient(error) || !hooks.isRunning()) throw error;
      const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** attempt);
      const delay = ceiling / 2 + Math.random() * (ceiling / 2);
      hooks.onRetry(error, attempt, Math.round(delay));
      const until = Date.now() + delay;
      while (Date.now() < until && hooks.isRunning()) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, until - Date.now())));
        await hooks.heartbeat().catch(() => undefined);
      }
    }
  }
}
