import type { ConsumerRunConfig, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import { ConsumerSession, type SessionClients } from '../kafka/consumer-session';
import { sendToDeadLetter, type ParkReason } from '../kafka/dead-letter';
import { defaultGroupSettings, type GroupSettings } from '../kafka/group-consumer';
import type { GroupMembership } from '../kafka/group-membership';
import { retryTransient, type RetryPolicy } from '../kafka/retry-transient';
import {
  defaultStuckWarnMs,
  stuckPartitionHooks,
  stuckPartitionsOf,
  type StuckPartitions,
} from '../kafka/stuck-partitions';
import { isTransient, TransientError } from '../errors/transient';
import type { InfrastructureConfig } from '../service/infrastructure';
import type { Logger } from '../observability/logger';
import { inMessageSpan } from '../observability/trace-context';
import type { Worker } from '../service/worker';
import type { EventDecoder } from '../codec/event-decoder';
import { decodeIncoming, type IncomingMessage } from './incoming-message';
import { messageOf } from '../errors/message-of';

export interface MessageConsumerOptions {
  /** Names the consumer in logs, metrics, DLQ headers and inbox rows. */
  name: string;
  groupId: string;
  topics: string[];
  handle: (message: IncomingMessage) => Promise<void>;
  partitionsConcurrently?: number;
  /**
   * Backoff of transient failures, and how long they may block a partition before it is
   * reported stuck (`stuckAfterMs`, default CONSUMER_STUCK_WARN_MS's default, 30 s).
   */
  retry?: RetryPolicy;
}

export const defaultConsumerRetry: RetryPolicy = {
  initialMs: 100,
  maxMs: 5_000,
  stuckAfterMs: defaultStuckWarnMs,
};

/** The consumers' retry policy with the configured stuck-partition bound (CONSUMER_STUCK_WARN_MS). */
export function consumerRetryPolicy(
  config: Pick<InfrastructureConfig, 'CONSUMER_STUCK_WARN_MS'>,
): RetryPolicy {
  return { ...defaultConsumerRetry, stuckAfterMs: config.CONSUMER_STUCK_WARN_MS };
}

export interface MessageConsumerDeps {
  kafka: Kafka;
  /** Decodes with the writer's schema and upcasts: built from the streams the consumer reads. */
  decoder: EventDecoder;
  logger: Logger;
  metrics: Registry;
  /** Called when kafkajs gives up on the consumer for good: the process should exit and be restarted. */
  onFatal?: (error: Error) => void;
  /** Session timeout and fetch wait of the consumer group (the service's configuration). */
  group?: GroupSettings;
}

const counters = new WeakMap<Registry, Counter<'consumer' | 'outcome'>>();
function messagesCounter(registry: Registry): Counter<'consumer' | 'outcome'> {
  let counter = counters.get(registry);
  if (!counter) {
    counter = new Counter({
      name: 'deedstream_messages_consumed_total',
      help: 'Commands and replies consumed: handled, retried (transient failure) or dead-lettered',
      labelNames: ['consumer', 'outcome'],
      registers: [registry],
    });
    counters.set(registry, counter);
  }
  return counter;
}

/**
 * Runs a handler for every message of some topics as a Kafka consumer group. Transient
 * failures (database, registry or broker unavailable, optimistic-concurrency conflicts;
 * see isTransient) are retried with backoff without moving on, so order per key holds,
 * and a partition blocked longer than `retry.stuckAfterMs` is logged and counted in
 * `deedstream_consumer_stuck_partitions`; a message that can never be handled
 * (undecodable, unknown type, a bug) goes to `<topic>.dlq` and the partition moves on.
 * Offsets are committed after the handler returns, so a crash redelivers: handlers must
 * be idempotent (see inbox.ts).
 */
export class MessageConsumer implements Worker {
  private readonly counter: Counter<'consumer' | 'outcome'>;
  private readonly stuck: StuckPartitions;
  private readonly session: ConsumerSession;

  constructor(
    private readonly deps: MessageConsumerDeps,
    readonly options: MessageConsumerOptions,
  ) {
    this.counter = messagesCounter(deps.metrics);
    this.stuck = stuckPartitionsOf(deps.metrics);
    this.session = new ConsumerSession(deps, {
      name: options.name,
      groupId: options.groupId,
      topics: options.topics,
      group: deps.group ?? defaultGroupSettings,
      run: (clients) => this.runConfig(clients),
    });
  }

  get name(): string {
    return this.options.name;
  }

  get membership(): GroupMembership {
    return this.session.membership;
  }

  notReadyReason(): string | undefined {
    return this.membership.notReadyReason;
  }

  async start(): Promise<void> {
    // In the background: a registry that is down now must not delay the consumer either.
    void this.deps.decoder.preload();
    await this.session.start();
  }

  /** Finishes the message in hand, commits and leaves the group. */
  async stop(): Promise<void> {
    await this.session.stop();
  }

  private runConfig({ commits }: SessionClients): ConsumerRunConfig {
    return {
      // Offsets are committed by `commits`, at most once per interval, once handled.
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 4,
      eachMessage: async (payload: EachMessagePayload) => {
        const { topic, partition, message } = payload;
        // In the trace of the command that caused the message, when that trace is recorded.
        await inMessageSpan(
          `${topic} process`,
          message.headers,
          () => ({
            'messaging.system': 'kafka',
            'messaging.destination.name': topic,
            'messaging.destination.partition.id': String(partition),
            'messaging.kafka.offset': Number(message.offset),
            'messaging.kafka.message.key': message.key?.toString() ?? '',
            'messaging.consumer.group.name': this.options.groupId,
          }),
          () => this.onMessage(payload),
        );
        await commits.mark(
          payload.topic,
          payload.partition,
          (BigInt(payload.message.offset) + 1n).toString(),
        );
      },
    };
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const { name } = this.options;
    const policy = this.options.retry ?? defaultConsumerRetry;
    let incoming: IncomingMessage | undefined;
    let poison: { reason: ParkReason; error: unknown } | undefined;
    // Decoding, handling and dead-lettering all retry in place: the registry, the
    // database or the broker being down blocks this partition (in order) until it is
    // back, and is reported as stuck after a while; nothing is skipped meanwhile.
    await retryTransient(
      async () => {
        if (!poison) {
          try {
            incoming ??= await decodeIncoming(this.deps.decoder, topic, partition, message);
            await this.options.handle(incoming);
            this.counter.inc({ consumer: name, outcome: 'handled' });
            return;
          } catch (error) {
            if (isTransient(error)) throw error;
            poison = { reason: incoming ? 'handler-error' : 'undecodable', error };
          }
        }
        // Once a message is found poison only the send is retried, never the handler.
        await this.deadLetter(topic, partition, message, poison.reason, poison.error);
      },
      { ...policy, stuckAfterMs: policy.stuckAfterMs ?? defaultStuckWarnMs },
      {
        // Stopping mid-retry rethrows: the offset stays uncommitted and the next owner redelivers.
        isRunning: () => this.session.active,
        heartbeat,
        onRetry: (error, attempt, delayMs) => {
          this.counter.inc({ consumer: name, outcome: 'retried' });
          this.deps.logger.warn(
            {
              err: error,
              attempt,
              delayMs,
              topic,
              partition,
              offset: message.offset,
              type: incoming?.type,
              messageId: incoming?.messageId,
            },
            `${name}: transient failure, retrying`,
          );
        },
        ...stuckPartitionHooks(this.stuck, this.deps.logger, { consumer: name, topic, partition }),
      },
    );
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: ParkReason,
    error: unknown,
  ): Promise<void> {
    const producer = this.session.current?.producer;
    if (!producer) throw new TransientError(`${this.options.name} is not running: no DLQ producer`);
    const text = messageOf(error);
    await sendToDeadLetter(producer, this.options.name, [{ topic, partition, message, reason, error: text }]);
    this.counter.inc({ consumer: this.options.name, outcome: 'dead-lettered' });
    this.deps.logger.error(
      { err: error, topic, partition, offset: message.offset, reason },
      `${this.options.name}: message sent to the DLQ`,
    );
  }
}
