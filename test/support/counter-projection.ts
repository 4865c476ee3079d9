import { randomUUID } from 'node:crypto';
import { deleteConsumerGroups } from './kafka-cleanup';
import { Client } from '@elastic/elasticsearch';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Partitioners, type Admin, type Kafka, type Message, type Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { AvroEventCodec } from '../../services/shared/codec/avro-event-codec';
import { EventDecoder } from '../../services/shared/codec/event-decoder';
import { subjectFor, type EventSchema } from '../../services/shared/codec/event-schema';
import type { StreamSchemas } from '../../services/shared/codec/stream-schemas';
import { dlqTopicOf } from '../../services/shared/kafka/dead-letter';
import { createKafka } from '../../services/shared/kafka/kafka-client';
import { parkingIndex } from '../../services/shared/projection/parked-keys';
import type {
  ProjectedEvent,
  Projection,
  VersionedDocument,
} from '../../services/shared/projection/projection';
import { ProjectionMetrics } from '../../services/shared/projection/projection-metrics';
import {
  ProjectionRunner,
  type RunnerDeps,
  type RunnerOptions,
} from '../../services/shared/projection/projection-runner';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { capturedLogger } from './captured-logger';
import { waitForValue } from './wait-for';
import { elasticsearchClient } from '../../services/shared/elasticsearch/elasticsearch-client';

/**
 * A tiny projection that exists only for the tests of the projection core
 * (services/shared/projection/*.int.test.ts): a counter per aggregate, folded from two
 * event types with schemas of their own, on a topic, DLQ topic, index and consumer groups
 * of its own (random suffix), so the core is tested without any service's projections.
 */
export interface CounterDocument extends VersionedDocument {
  id: string;
  label: string;
  /** Mapped as `integer`: a total past 2^31 - 1 is a document Elasticsearch refuses. */
  total: number;
  /** Every amount added, in the order folded: shows the order events were applied in. */
  steps: number[];
}

export interface CounterFact {
  counterId: string;
  amount: number;
  at: string;
}

const namespace = 'dev.deedstream.it.counter';
export const counterSchemas: EventSchema[] = [
  {
    eventType: 'CounterOpened',
    schemaVersion: 1,
    schema: { type: 'record', name: 'CounterOpened', namespace, fields: [{ name: 'label', type: 'string' }] },
  },
  {
    eventType: 'CounterAdded',
    schemaVersion: 1,
    schema: { type: 'record', name: 'CounterAdded', namespace, fields: [{ name: 'amount', type: 'int' }] },
  },
];
/** Registered on the topic but not one of the stream's schemas: what a consumer cannot know. */
export const strangerSchema: EventSchema = {
  eventType: 'CounterRenamed',
  schemaVersion: 1,
  schema: { type: 'record', name: 'CounterRenamed', namespace, fields: [{ name: 'label', type: 'string' }] },
};

export type CounterEvent =
  { type: 'CounterOpened'; data: { label: string } } | { type: 'CounterAdded'; data: { amount: number } };

/**
 * The fold: pure, and strict about order (an event that does not follow the document's
 * version throws, so an event applied out of order shows up as a parked message instead of
 * a silently wrong total). `poisoned` (`<aggregateId>@<version>`) stands in for a bug a later
 * deploy fixes: those events throw while they are in it.
 */
export function counterProjection(
  suffix: string,
  poisoned: ReadonlySet<string> = new Set(),
  streams: readonly StreamSchemas[] = [],
): Projection<CounterDocument> {
  const apply = (current: CounterDocument | undefined, event: ProjectedEvent): CounterDocument => {
    if (poisoned.has(`${event.aggregateId}@${event.version}`)) throw new Error('injected handler failure');
    if (event.eventType === 'CounterOpened') {
      if (event.version !== 1) throw new Error(`CounterOpened at v${event.version}, expected v1`);
      return { id: event.aggregateId, version: 1, label: String(event.data.label), total: 0, steps: [] };
    }
    if (event.eventType !== 'CounterAdded') throw new Error(`unknown event type ${event.eventType}`);
    if (!current) throw new Error(`CounterAdded v${event.version} for a counter never opened`);
    if (event.version !== current.version + 1)
      throw new Error(`CounterAdded v${event.version} follows v${current.version}: out of order`);
    const amount = Number(event.data.amount);
    return {
      ...current,
      version: event.version,
      total: current.total + amount,
      steps: [...current.steps, amount],
    };
  };
  return {
    name: `it-counter-${suffix}`,
    streams,
    alias: `it-counter-${suffix}`,
    mappings: {
      dynamic: 'strict',
      properties: {
        id: { type: 'keyword' },
        version: { type: 'integer' },
        label: { type: 'keyword' },
        total: { type: 'integer' },
        steps: { type: 'long' },
      },
    },
    documentId: (event) => event.aggregateId,
    apply,
    facts: {
      mappings: {
        dynamic: 'strict',
        properties: { counterId: { type: 'keyword' }, amount: { type: 'long' }, at: { type: 'date' } },
      },
      of: (_before, after, event) =>
        event.eventType === 'CounterAdded'
          ? [
              {
                id: event.eventId,
                document: { counterId: after.id, amount: Number(event.data.amount), at: event.occurredAt },
              },
            ]
          : [],
    },
  };
}

/** Fast settings for a test runner: small batches, short retries, commits at once, short fetch waits. */
export const testRunnerOptions: RunnerOptions = {
  batchSize: 100,
  retryInitialMs: 50,
  retryMaxMs: 500,
  batchIntervalMs: 0,
  partitionsConcurrently: 3,
  refresh: { documents: '1s', facts: '1s' },
  group: { sessionTimeoutMs: 10_000, fetchWaitMs: 100, commitIntervalMs: 0 },
};

/** A relayed message as the outbox relay sends it: key, relay headers, Avro in the Confluent wire format. */
export interface CounterMessage extends Message {
  key: string;
  headers: Record<string, string>;
}

/**
 * Everything one test file of the projection core needs on the real stack: the counter
 * projection on topics of its own (and their DLQ), its schemas registered, clients, runners
 * it starts, and the cleanup of all of it (`close`).
 */
export class CounterFixture {
  readonly suffix = randomUUID().slice(0, 8);
  readonly topic: string;
  readonly dlqTopic: string;
  /** `<aggregateId>@<version>` whose fold throws while present (see counterProjection). */
  readonly poisoned = new Set<string>();
  readonly projection: Projection<CounterDocument>;
  readonly stream: StreamSchemas;
  readonly kafka: Kafka;
  readonly es: Client;
  readonly registry: SchemaRegistry;
  readonly metrics = new ProjectionMetrics(new Registry());
  readonly deps: RunnerDeps;
  private readonly codec: AvroEventCodec;
  private readonly runners: Array<ProjectionRunner<CounterDocument>> = [];
  private readonly groups = new Set<string>();
  private readonly subjects = new Set<string>();
  private readonly registryUrl: string;
  private opened: { admin: Admin; producer: Producer } | undefined;

  constructor(
    label: string,
    private readonly partitions: number,
  ) {
    const config = infrastructureConfig();
    this.registryUrl = config.SCHEMA_REGISTRY_URL;
    this.topic = `it.projection.${label}.${this.suffix}`;
    this.dlqTopic = dlqTopicOf(this.topic);
    this.stream = { topic: this.topic, load: async () => counterSchemas };
    this.projection = counterProjection(this.suffix, this.poisoned, [this.stream]);
    this.kafka = createKafka(config.KAFKA_BROKERS, `it-projection-${label}`);
    this.es = elasticsearchClient(config.ELASTICSEARCH_URL);
    this.registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
    this.codec = new AvroEventCodec(this.registry, this.topic, counterSchemas);
    this.deps = {
      kafka: this.kafka,
      es: this.es,
      decoder: new EventDecoder(this.registry, [this.stream]),
      logger: capturedLogger('silent').logger,
      metrics: this.metrics,
    };
  }

  /** Creates the topic and its DLQ, registers the counter schemas, connects an admin and a producer. */
  async open(): Promise<this> {
    const admin = this.kafka.admin();
    await admin.connect();
    // Kafka's default partitioner (murmur2 of the key), as the relay uses.
    const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    this.opened = { admin, producer };
    await producer.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: this.topic, numPartitions: this.partitions },
        { topic: this.dlqTopic, numPartitions: this.partitions },
      ],
    });
    await this.register(counterSchemas);
    return this;
  }

  get admin(): Admin {
    if (!this.opened) throw new Error('CounterFixture.open() first');
    return this.opened.admin;
  }

  get producer(): Producer {
    if (!this.opened) throw new Error('CounterFixture.open() first');
    return this.opened.producer;
  }

  /** Registers `schemas` under the topic's subjects (cleaned up by `close`). */
  async register(schemas: readonly EventSchema[]): Promise<AvroEventCodec> {
    for (const schema of schemas) this.subjects.add(subjectFor(this.topic, schema.schema));
    const codec = new AvroEventCodec(this.registry, this.topic, schemas);
    await codec.registerAll();
    return codec;
  }

  /** One event of `aggregateId` as the relay publishes it. */
  async message(
    aggregateId: string,
    version: number,
    event: CounterEvent,
    codec: AvroEventCodec = this.codec,
  ): Promise<CounterMessage> {
    return {
      key: aggregateId,
      value: await codec.encode(event.type, 1, event.data),
      headers: {
        eventId: randomUUID(),
        eventType: event.type,
        aggregateVersion: String(version),
        occurredAt: new Date().toISOString(),
      },
    };
  }

  /** A counter's whole history: opened (v1), then one CounterAdded per amount (v2, v3, …). */
  async history(aggregateId: string, amounts: readonly number[]): Promise<CounterMessage[]> {
    const opened = await this.message(aggregateId, 1, {
      type: 'CounterOpened',
      data: { label: aggregateId },
    });
    const added = await Promise.all(
      amounts.map((amount, i) =>
        this.message(aggregateId, i + 2, { type: 'CounterAdded', data: { amount } }),
      ),
    );
    return [opened, ...added];
  }

  /** Sends to the topic in this order; resolves with the partition and offset of each message. */
  async send(...messages: Message[]): Promise<Array<{ partition: number; offset: string }>> {
    const placed: Array<{ partition: number; offset: string }> = [];
    // One request per message: each gets its own offset back (a batch reports only its base).
    for (const message of messages) {
      const [answer] = await this.producer.send({ topic: this.topic, acks: -1, messages: [message] });
      if (!answer) throw new Error(`no answer for a message sent to ${this.topic}`);
      placed.push({ partition: answer.partition, offset: answer.baseOffset ?? '' });
    }
    return placed;
  }

  /** Sends in one request (the runner gets them in as few batches as the broker gives). */
  async sendAll(messages: Message[]): Promise<void> {
    await this.producer.send({ topic: this.topic, acks: -1, messages });
  }

  /** A runner of the counter projection (stopped by `close` if the test does not). */
  runner(options: Partial<RunnerOptions> = {}): ProjectionRunner<CounterDocument> {
    const runner = new ProjectionRunner(this.deps, this.projection, { ...testRunnerOptions, ...options });
    this.runners.push(runner);
    this.groups.add(runner.groupId);
    return runner;
  }

  /** A consumer group a test makes by other means, deleted by `close`. */
  group(groupId: string): string {
    this.groups.add(groupId);
    return groupId;
  }

  /** The document as the runner reads it (realtime get), or undefined. */
  /** Bounded wait until the counter's document has `version`; resolves with it. */
  applied(id: string, version: number): Promise<CounterDocument> {
    let last: CounterDocument | undefined;
    return waitForValue(
      () => `${id} at v${version} (has v${last?.version ?? 'none'})`,
      async () => {
        last = await this.document(id);
        return last && last.version >= version ? last : undefined;
      },
    );
  }

  async document(id: string, index = this.projection.alias): Promise<CounterDocument | undefined> {
    const answer = await this.es.get<CounterDocument>({ index, id, realtime: true }, { ignore: [404] });
    return answer.found ? answer._source : undefined;
  }

  /** Every document behind the alias (or in `index`), in id order. */
  async documents(index = this.projection.alias): Promise<CounterDocument[]> {
    await this.es.indices.refresh({ index });
    const answer = await this.es.search<CounterDocument>({ index, size: 10_000, sort: [{ id: 'asc' }] });
    return answer.hits.hits.flatMap((hit) => (hit._source ? [hit._source] : []));
  }

  /** Every fact (id and document), in id order; only one counter's with `counterId`. */
  async facts(counterId?: string): Promise<Array<{ id: string; fact: CounterFact }>> {
    const index = `${this.projection.alias}-facts`;
    await this.es.indices.refresh({ index });
    const answer = await this.es.search<CounterFact>({
      index,
      size: 10_000,
      ...(counterId ? { query: { term: { counterId } } } : {}),
    });
    // Sorted here: sorting on _id needs fielddata, which Elasticsearch disallows by default.
    return answer.hits.hits
      .flatMap((hit) => (hit._source && hit._id ? [{ id: hit._id, fact: hit._source }] : []))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /**
   * Stops the runners, then deletes the groups, topics, indices, parking and subjects this
   * fixture made. Every step is tried; what failed is reported together at the end.
   */
  async close(): Promise<void> {
    const failures: unknown[] = [];
    const step = async (work: () => Promise<unknown>) => {
      await work().catch((error: unknown) => failures.push(error));
    };
    await Promise.all(this.runners.map((runner) => step(() => runner.stop())));
    const opened = this.opened;
    if (opened) {
      const { admin, producer } = opened;
      await step(async () => {
        // The groups this fixture made that exist, and any other named after it (a rebuild's reader).
        const existing = (await admin.listGroups()).groups.map((g) => g.groupId);
        const groups = existing.filter((id) => this.groups.has(id) || id.includes(this.suffix));
        await deleteConsumerGroups(admin, groups);
      });
      await step(() => admin.deleteTopics({ topics: [this.topic, this.dlqTopic] }));
      await step(() => admin.disconnect());
      await step(() => producer.disconnect());
    }
    await step(async () => {
      // By name: a wildcard delete is refused where action.destructive_requires_name is on.
      const indices = Object.keys(
        await this.es.indices.get({ index: `${this.projection.alias}*` }, { ignore: [404] }),
      ).filter((name) => name !== 'error' && name !== 'status');
      if (indices.length > 0) await this.es.indices.delete({ index: indices });
    });
    await step(async () => {
      // This projection's parking (the index is shared; this stack's Elasticsearch has no delete-by-query).
      await this.es.indices.refresh({ index: parkingIndex }, { ignore: [404] });
      const parked = await this.es.search(
        { index: parkingIndex, size: 10_000, query: { term: { projection: this.projection.name } } },
        { ignore: [404] },
      );
      const ids = (parked.hits?.hits ?? []).flatMap((hit) => (hit._id ? [hit._id] : []));
      if (ids.length > 0)
        await this.es.bulk({
          refresh: true,
          operations: ids.map((id) => ({ delete: { _index: parkingIndex, _id: id } })),
        });
    });
    await step(() => this.es.close());
    for (const subject of this.subjects) {
      // A soft delete, then the permanent one (the registry refuses the second without the first).
      for (const permanent of ['', '?permanent=true'])
        await step(() =>
          fetch(`${this.registryUrl}/subjects/${encodeURIComponent(subject)}${permanent}`, {
            method: 'DELETE',
          }),
        );
    }
    if (failures.length > 0) throw new AggregateError(failures, `cleanup of ${this.projection.name} failed`);
  }
}
