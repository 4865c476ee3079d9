import type { Logger } from '../observability/logger';
import { retryTransient } from './retry-transient';
import { messageOf } from '../errors/message-of';

export interface ConsumerRestart {
  name: string;
  logger: Logger;
  /** False once the owner was asked to stop: then nothing is restarted. */
  wanted: () => boolean;
  /** Disconnects what is left of the old consumer and starts a new one. */
  restart: () => Promise<void>;
  /** Restarting failed for good: the process cannot consume any more. */
  onFatal?: (error: Error) => void;
}

/**
 * kafkajs gives up on a consumer for some errors it calls non-retriable, such as a commit
 * answered "the coordinator is not aware of this member" after the member was evicted
 * while the machine was too busy to heartbeat. The process itself is fine, so its owner
 * starts a fresh consumer (with backoff, while it still wants one) instead of leaving
 * its partitions unconsumed or exiting.
 */
export function restartGivenUpConsumer(restart: ConsumerRestart, cause: Error): void {
  restart.logger.warn({ err: cause }, `${restart.name}: kafkajs stopped the consumer; starting a new one`);
  retryTransient(
    async () => {
      if (restart.wanted()) await restart.restart();
    },
    { initialMs: 1_000, maxMs: 30_000 },
    {
      isRunning: restart.wanted,
      heartbeat: async () => undefined,
      onRetry: (error, attempt, delayMs) =>
        restart.logger.warn(
          { err: error, attempt, delayMs },
          `${restart.name}: restarting the consumer failed; retrying`,
        ),
    },
  ).catch((error: unknown) =>
    restart.onFatal?.(
      new Error(`${restart.name}: could not restart its Kafka consumer: ${messageOf(error)}`),
    ),
  );
}
