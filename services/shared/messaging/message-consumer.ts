import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import { sendToDeadLetter, type ParkReason } from '../kafka/dead-letter';
import { retryTransient, type RetryPolicy } from '../kafka/retry-transient';
import { isTransient } from '../kafka/transient';
import type { Logger } from '../observability/logger';
import { decodeIncoming, type IncomingMessage } from './incoming-message';

export interface MessageConsumerOptions {
  /** Names the consumer in logs, metrics, DLQ headers and inbox rows. */
  name: string;
  groupId: string;
  topics: string[];
  handle: (message: IncomingMessage) => Promise<void>;
  partitionsConcurrently?: number;
  retry?: RetryPolicy;
}

export interface MessageConsumerDeps {
  kafka: Kafka;
  registry: SchemaRegistry;
  logger: Logger;
  metrics: Registry;
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
 * failures (database or broker unavailable, optimistic-concurrency conflicts) are
 * retried with backoff without moving on, so order per key holds; a message that can
 * never be handled (undecodable, unknown type, a bug) goes to `<topic>.dlq` and the
 * partition moves on. Offsets are committed after the handler returns, so a crash
 * redelivers: handlers must be idempotent (see inbox.ts).
 */
export class MessageConsumer {
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private readonly counter: Counter<'consumer' | 'outcome'>;

  constructor(
    private readonly deps: MessageConsumerDeps,
    readonly options: MessageConsumerOptions,
  ) {
    this.counter = messagesCounter(deps.metrics);
  }

  get running(): boolean {
    return this.consumer !== undefined;
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    this.producer = this.deps.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    const consumer = this.deps.kafka.consumer({
      groupId: this.options.groupId,
      maxWaitTimeInMs: 50,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 4,
      eachMessage: (payload) => this.onMessage(payload),
    });
    this.consumer = consumer;
  }

  /** Finishes the message in hand, commits and leaves the group. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
    await this.producer?.disconnect();
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const { name } = this.options;
    const deadLetter = async (reason: ParkReason, error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      this.deps.logger.error(
        { err: error, topic, partition, offset: message.offset },
        `${name}: message sent to the DLQ`,
      );
      await sendToDeadLetter(this.producer as Producer, name, [
        { topic, partition, message, reason, error: text },
      ]);
      this.counter.inc({ consumer: name, outcome: 'dead-lettered' });
    };

    let incoming: IncomingMessage;
    try {
      incoming = await decodeIncoming(this.deps.registry, topic, partition, message);
    } catch (error) {
      if (isTransient(error)) throw error;
      await deadLetter('undecodable', error);
      return;
    }
    try {
      await retryTransient(
        () => this.options.handle(incoming),
        this.options.retry ?? { initialMs: 100, maxMs: 5_000 },
        {
          isRunning: () => this.consumer !== undefined,
          heartbeat,
          onRetry: (error, attempt, delayMs) => {
            this.counter.inc({ consumer: name, outcome: 'retried' });
            this.deps.logger.warn(
              { err: error, attempt, delayMs, type: incoming.type, messageId: incoming.messageId },
              `${name}: transient failure, retrying`,
            );
          },
        },
      );
      this.counter.inc({ consumer: name, outcome: 'handled' });
    } catch (error) {
      // Stopping mid-retry: leave the offset uncommitted so the next owner redelivers it.
      if (isTransient(error)) throw error;
      await deadLetter('handler-error', error);
    }
  }
}
