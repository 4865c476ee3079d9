import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import { deadLetterProducer, sendToDeadLetter, type ParkReason } from '../kafka/dead-letter';
import { restartGivenUpConsumer } from '../kafka/consumer-restart';
import { GroupMembership } from '../kafka/group-membership';
import { retryTransient, type RetryPolicy } from '../kafka/retry-transient';
import { isTransient } from '../kafka/transient';
import type { Logger } from '../observability/logger';
import type { Worker } from '../service/worker';
import { decodeIncoming, type IncomingMessage } from './incoming-message';

export interface MessageConsumerOptions {
  /** Names the consumer in logs, metrics, DLQ headers and inbox rows. */
  name: string;
  groupId: string;
  topics: string[];
  handle: (message: IncomingMessage) => Promise<void>;
  partitionsConcurrently?: number;
  retry?: RetryPolicy;
  /** How long the broker waits for a silent member (a killed replica) before moving its partitions. */
  sessionTimeoutMs?: number;
}

export interface MessageConsumerDeps {
  kafka: Kafka;
  registry: SchemaRegistry;
  logger: Logger;
  metrics: Registry;
  /** Called when kafkajs gives up on the consumer for good: the process should exit and be restarted. */
  onFatal?: (error: Error) => void;
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
export class MessageConsumer implements Worker {
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private readonly counter: Counter<'consumer' | 'outcome'>;
  readonly membership: GroupMembership;
  /** Between start() and stop(): a consumer kafkajs gave up on is replaced only then. */
  private wanted = false;

  constructor(
    private readonly deps: MessageConsumerDeps,
    readonly options: MessageConsumerOptions,
  ) {
    this.counter = messagesCounter(deps.metrics);
    this.membership = new GroupMembership(options.groupId);
  }

  get name(): string {
    return this.options.name;
  }

  get running(): boolean {
    return this.consumer !== undefined;
  }

  notReadyReason(): string | undefined {
    return this.membership.notReadyReason;
  }

  async start(): Promise<void> {
    this.wanted = true;
    await this.connectAndRun();
  }

  /** Finishes the message in hand, commits and leaves the group. */
  async stop(): Promise<void> {
    this.wanted = false;
    await this.disconnect();
  }

  private async connectAndRun(): Promise<void> {
    if (this.consumer) return;
    const producer = deadLetterProducer(this.deps.kafka);
    const consumer = this.deps.kafka.consumer({
      groupId: this.options.groupId,
      maxWaitTimeInMs: 50,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
    });
    this.membership.watch(consumer, (cause) =>
      restartGivenUpConsumer(
        {
          name: this.options.name,
          logger: this.deps.logger,
          wanted: () => this.wanted,
          restart: async () => {
            await this.disconnect();
            await this.connectAndRun();
          },
          onFatal: this.deps.onFatal,
        },
        cause,
      ),
    );
    try {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
      this.producer = producer;
      this.consumer = consumer;
      await consumer.run({
        partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 4,
        eachMessage: (payload) => this.onMessage(payload),
      });
    } catch (error) {
      // Started again later (the broker was down): leave no half-connected client behind.
      this.consumer = undefined;
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
      throw error;
    }
  }

  private async disconnect(): Promise<void> {
    const { consumer, producer } = this;
    this.consumer = undefined;
    this.producer = undefined;
    await consumer?.disconnect();
    await producer?.disconnect();
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
