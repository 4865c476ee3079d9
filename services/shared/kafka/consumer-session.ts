import type { Consumer, ConsumerRunConfig, Kafka, Producer } from 'kafkajs';
import type { Logger } from '../observability/logger';
import { restartGivenUpConsumer } from './consumer-restart';
import { deadLetterProducer } from './dead-letter';
import { DeferredCommits } from './deferred-commits';
import { groupConsumer, type GroupSettings } from './group-consumer';
import { GroupMembership } from './group-membership';

/** The clients of one connected session: its group consumer, its dead-letter producer and its commits. */
export interface SessionClients {
  consumer: Consumer;
  producer: Producer;
  commits: DeferredCommits;
}

export interface ConsumerSessionSpec {
  /** Names the consumer in logs. */
  name: string;
  groupId: string;
  topics: string[];
  group: GroupSettings;
  /**
   * How the connected consumer runs (eachMessage or eachBatch): handlers take the clients
   * from here, not from the session, so work in hand finishes with the clients it began with.
   */
  run: (clients: SessionClients) => ConsumerRunConfig;
}

export interface ConsumerSessionDeps {
  kafka: Kafka;
  logger: Logger;
  /** Called when the consumer cannot be restarted: the process should exit and be restarted. */
  onFatal?: (error: Error) => void;
}

/**
 * One member of a consumer group, from start to stop: connect a consumer and a dead-letter
 * producer, subscribe from the beginning (a new group reads every message) and run. When
 * kafkajs gives up on the consumer while it is still wanted, a new one replaces it
 * (restartGivenUpConsumer). Stopping finishes the message or batch in hand, commits what it
 * marked and leaves the group. A start that fails leaves no half-connected client, so it can
 * be called again. Every consumer of the services (MessageConsumer, ProjectionRunner) lives
 * through one of these.
 */
export class ConsumerSession {
  readonly membership: GroupMembership;
  /** Between start() and stop(): a consumer kafkajs gave up on is replaced only then. */
  private wanted = false;
  private clients: SessionClients | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly deps: ConsumerSessionDeps,
    private readonly spec: ConsumerSessionSpec,
  ) {
    this.membership = new GroupMembership(spec.groupId);
  }

  /** The connected clients, or undefined before start, after stop or between restarts. */
  get current(): SessionClients | undefined {
    return this.clients;
  }

  /**
   * Started, connected and not closing (a stop, or a restart after kafkajs gave up): work in
   * hand may go on retrying. Once false, a retry loop must give up so the close can finish.
   */
  get active(): boolean {
    return this.wanted && this.clients !== undefined && this.closing === undefined;
  }

  async start(): Promise<void> {
    this.wanted = true;
    await this.connectAndRun();
  }

  async stop(): Promise<void> {
    this.wanted = false;
    await this.disconnect();
  }

  private async connectAndRun(): Promise<void> {
    if (this.clients) return;
    const { kafka, logger } = this.deps;
    const { name, groupId, topics, group } = this.spec;
    const producer = deadLetterProducer(kafka);
    const consumer = groupConsumer(kafka, groupId, group);
    const commits = DeferredCommits.of(consumer, group.commitIntervalMs, logger, name);
    this.membership.watch(consumer, (cause) =>
      restartGivenUpConsumer(
        {
          name,
          logger,
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
      await consumer.subscribe({ topics, fromBeginning: true });
      const clients = { consumer, producer, commits };
      this.clients = clients;
      await consumer.run(this.spec.run(clients));
    } catch (error) {
      // Started again later (the broker was down): leave no half-connected client behind.
      this.clients = undefined;
      commits.discard();
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
      throw error;
    }
  }

  /** One close at a time: a stop during a restart waits for the same close. */
  private disconnect(): Promise<void> {
    this.closing ??= this.close().finally(() => {
      this.closing = undefined;
    });
    return this.closing;
  }

  private async close(): Promise<void> {
    const clients = this.clients;
    if (!clients) return;
    try {
      // kafkajs commits only while the consumer runs: what was marked is committed now, and
      // the message or batch in hand, which the stop lets finish, as soon as it is marked.
      await clients.commits.commitAtOnce();
      await clients.consumer.stop();
      await clients.commits.flush();
      await clients.consumer.disconnect();
      await clients.producer.disconnect();
    } finally {
      if (this.clients === clients) this.clients = undefined;
    }
  }
}
