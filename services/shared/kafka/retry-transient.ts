import { KafkaJSProtocolError } from 'kafkajs';
import { isTransient } from '../errors/transient';

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
  /**
   * How long work may keep failing transiently before it counts as stuck (`onStuck` is
   * called once). Unset: never reported as stuck.
   */
  stuckAfterMs?: number;
}

/** One stretch of retrying the same work. */
export interface Stall {
  /** When the first attempt started (epoch ms). */
  since: number;
  firstError: unknown;
  /** Attempts that failed transiently so far (the retries made or about to be made). */
  retries: number;
}

/** How a stuck stretch ended: the work succeeded, failed for good, or the consumer stopped. */
export type StallEnd = 'succeeded' | 'failed' | 'stopped';

export interface RetryHooks {
  isRunning: () => boolean;
  heartbeat: () => Promise<void>;
  onRetry: (error: unknown, attempt: number, delayMs: number) => void;
  /** Retrying has gone on for `stuckAfterMs`: called once per call of retryTransient. */
  onStuck?: (stall: Stall) => void;
  /** A stall reported by `onStuck` is over. */
  onStuckEnded?: (stall: Stall, end: StallEnd) => void;
}

/**
 * Runs `work` until it succeeds, retrying transient failures (see isTransient) with
 * exponential backoff and full jitter, capped, so many consumers do not retry in step.
 * Heartbeats while waiting so the consumer keeps its partitions; gives up (rethrows)
 * on a permanent failure or once the consumer stops running, and when the heartbeat
 * says the group is rebalancing: then it rethrows that error, which kafkajs answers by
 * rejoining (the partition may go to another member, which redelivers the message);
 * retrying on would hold up the whole group's rebalance. Retrying past
 * `stuckAfterMs` is reported once through `onStuck`, and its end through `onStuckEnded`,
 * so a partition blocked by a dependency that does not come back is not silent.
 */
export async function retryTransient(
  work: () => Promise<void>,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<void> {
  const since = Date.now();
  let stall: Stall | undefined;
  let stuck = false;
  const checkStuck = () => {
    if (stuck || !stall || policy.stuckAfterMs === undefined) return;
    if (Date.now() - stall.since < policy.stuckAfterMs) return;
    stuck = true;
    hooks.onStuck?.(stall);
  };
  const end = (how: StallEnd) => {
    if (stuck && stall) hooks.onStuckEnded?.(stall, how);
  };

  for (let attempt = 0; ; attempt += 1) {
    try {
      await work();
      end('succeeded');
      return;
    } catch (error) {
      if (!isTransient(error)) {
        end('failed');
        throw error;
      }
      if (!hooks.isRunning()) {
        end('stopped');
        throw error;
      }
      stall ??= { since, firstError: error, retries: 0 };
      stall.retries += 1;
      const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** attempt);
      const delay = ceiling / 2 + Math.random() * (ceiling / 2);
      hooks.onRetry(error, attempt, Math.round(delay));
      checkStuck();
      const until = Date.now() + delay;
      while (Date.now() < until && hooks.isRunning()) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, until - Date.now())));
        const rebalancing = await hooks.heartbeat().then(
          () => undefined,
          // Any other heartbeat failure (broker briefly away) is retried with the work.
          (heartbeatError: unknown) => (isRebalancing(heartbeatError) ? heartbeatError : undefined),
        );
        if (rebalancing) {
          end('stopped');
          throw rebalancing;
        }
        checkStuck();
      }
    }
  }
}

/** The group is rebalancing or this member's generation is gone (kafkajs' own test, not exported). */
function isRebalancing(error: unknown): boolean {
  return (
    error instanceof KafkaJSProtocolError &&
    ['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION'].includes(error.type)
  );
}
