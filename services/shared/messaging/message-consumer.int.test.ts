import { randomUUID } from 'node:crypto';
import { deleteConsumerGroups } from '../../../test/support/kafka-cleanup';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Admin, Message, Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { capturedLogger, logLevels, type LogLine } from '../../../test/support/captured-logger';
import { headersOf } from '../../../test/support/pipeline';
import { waitFor } from '../../../test/support/wait-for';
import { AvroEventCodec } from '../codec/avro-event-codec';
import { EventDecoder } from '../codec/event-decoder';
import type { EventSchema } from '../codec/event-schema';
import { infrastructureConfig } from '../service/infrastructure';
import { dlqTopicOf } from '../kafka/dead-letter';
import { createKafka } from '../kafka/kafka-client';
import type { RetryPolicy } from '../kafka/retry-transient';
import { readTopicToEnd } from '../kafka/topic-reader';
import { TransientError } from '../errors/transient';
import type { IncomingMessage } from './incoming-message';
import { MessageConsumer } from './message-consumer';

const config = infrastructureConfig();
const kafka = createKafka(config.KAFKA_BROKERS, 'messaging-it');
const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });

const testMessage: EventSchema = {
  eventType: 'TestMessage',
  schemaVersion: 1,
  schema: {
    type: 'record',
    name: 'TestMessage',
    namespace: 'dev.deedstream.test',
    fields: [
      { name: 'n', type: 'int' },
      { name: 'note', type: 'string' },
    ],
  },
};
// One fixed subject for every run: consumers decode by schema id, whatever topic a message is on.
const codec = new AvroEventCodec(registry, 'messaging-it.messages', [testMessage]);

let admin: Admin;
let producer: Producer;
const topics: string[] = [];
const consumers: MessageConsumer[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer();
  await producer.connect();
  await codec.registerAll();
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  // The consumers' groups and those readTopicToEnd made to read the DLQs.
  const { groups } = await admin.listGroups();
  const ours = groups
    .map((g) => g.groupId)
    .filter(
      (id) =>
        consumers.some((c) => c.options.groupId === id) || topics.some((t) => id.startsWith(`reader-${t}-`)),
    );
  await deleteConsumerGroups(admin, ours);
  if (topics.length > 0) await admin.deleteTopics({ topics });
  await producer.disconnect();
  await admin.disconnect();
});

/** A topic of this run and its `.dlq` (the broker creates no topic by itself). */
async function freshTopic(partitions: number): Promise<string> {
  const topic = `it.messaging.${randomUUID().slice(0, 8)}`;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: partitions },
      { topic: dlqTopicOf(topic), numPartitions: 1 },
    ],
  });
  topics.push(topic, dlqTopicOf(topic));
  return topic;
}

/** A message as the outbox relay (Debezium's Outbox Event Router) puts it on Kafka. */
function relayed(key: string, n: number, value: Buffer): Message {
  return {
    key,
    value,
    headers: {
      eventId: randomUUID(),
      eventType: 'TestMessage',
      aggregateVersion: String(n),
      correlationId: `purchase-${key}`,
      causationId: randomUUID(),
      occurredAt: new Date().toISOString(),
    },
  };
}

const encoded = async (key: string, n: number, note = 'ok') =>
  relayed(key, n, await codec.encode('TestMessage', 1, { n, note }));

interface Handled {
  key: string;
  n: number;
  partition: number;
}

function handledOf(message: IncomingMessage): Handled {
  return { key: message.key, n: Number(message.data.n), partition: message.partition };
}

/** A MessageConsumer of `topic` with its own metrics registry and a logger kept in memory. */
async function startConsumer(
  topic: string,
  handle: (message: IncomingMessage) => Promise<void>,
  options: { retry?: RetryPolicy; registry?: SchemaRegistry } = {},
): Promise<{ consumer: MessageConsumer; name: string; metrics: Registry; lines: LogLine[] }> {
  const name = `messaging-it.${topic}`;
  const metrics = new Registry();
  const { logger, lines } = capturedLogger();
  const consumer = new MessageConsumer(
    {
      kafka,
      // The test's topics carry the one test message type; decoding goes through the registry given.
      decoder: new EventDecoder(options.registry ?? registry, [{ topic, load: async () => [testMessage] }]),
      logger,
      metrics,
    },
    { name, groupId: `it.${topic}`, topics: [topic], handle, retry: options.retry },
  );
  consumers.push(consumer);
  await consumer.start();
  return { consumer, name, metrics, lines };
}

async function metricValue(
  metrics: Registry,
  metric: string,
  labels: Record<string, string>,
): Promise<number> {
  const values = (await metrics.getSingleMetric(metric)?.get())?.values ?? [];
  const match = values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return match?.value ?? 0;
}

const consumed = (metrics: Registry, consumer: string, outcome: string) =>
  metricValue(metrics, 'deedstream_messages_consumed_total', { consumer, outcome });

/** Whether the group has committed the end of every partition of the topic. */
async function committedToEnd(groupId: string, topic: string): Promise<boolean> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return ends.every((end) => {
    const offset = committed?.partitions.find((p) => p.partition === end.partition)?.offset;
    // An empty partition has nothing to commit (kafkajs reports -1 for no commit).
    return offset === end.high || (end.high === '0' && offset === '-1');
  });
}

describe('MessageConsumer', () => {
  it('retries a transient failure in place: every message handled once, in order per key, offsets committed', async () => {
    const topic = await freshTopic(2);
    const handled: Handled[] = [];
    let failuresLeft = 3;
    const { name, metrics } = await startConsumer(
      topic,
      async (message) => {
        if (message.key === 'a' && message.data.n === 2 && failuresLeft > 0) {
          failuresLeft -= 1;
          throw new TransientError('database restarting');
        }
        handled.push(handledOf(message));
      },
      { retry: { initialMs: 10, maxMs: 50 } },
    );
    const messages: Message[] = [];
    // One key per partition, so both partitions are consumed (concurrently) and one retries.
    for (let n = 1; n <= 4; n += 1)
      messages.push(
        { ...(await encoded('a', n)), partition: 0 },
        { ...(await encoded('b', n)), partition: 1 },
      );
    await producer.send({ topic, acks: -1, messages });

    await waitFor('8 messages handled', () => handled.length >= 8);
    const sequence = (key: string) => handled.filter((h) => h.key === key).map((h) => h.n);
    expect(sequence('a')).toEqual([1, 2, 3, 4]);
    expect(sequence('b')).toEqual([1, 2, 3, 4]);
    expect(new Set(handled.map((h) => h.partition))).toEqual(new Set([0, 1]));
    expect(await consumed(metrics, name, 'retried')).toBe(3);
    expect(await consumed(metrics, name, 'handled')).toBe(8);
    await waitFor('the offsets to be committed', () => committedToEnd(`it.${topic}`, topic));
    expect(handled).toHaveLength(8);
    expect((await admin.fetchTopicOffsets(dlqTopicOf(topic)))[0]?.high).toBe('0');
  });

  it('dead-letters poison messages with their origin and error, and goes on with the partition', async () => {
    const topic = await freshTopic(1);
    const handled: Handled[] = [];
    const { name, metrics } = await startConsumer(topic, async (message) => {
      if (message.data.note === 'poison') throw new Error(`cannot handle message ${String(message.data.n)}`);
      handled.push(handledOf(message));
    });
    const notAvro = relayed('k', 2, Buffer.from('{"n": 2}'));
    // Wire format (magic byte 0) naming a schema id the registry does not have.
    const unknownSchema = relayed('k', 3, Buffer.from([0, 0x7f, 0xff, 0xff, 0x00, 0x02, 0x04]));
    const poison = await encoded('k', 4, 'poison');
    await producer.send({
      topic,
      acks: -1,
      messages: [await encoded('k', 1), notAvro, unknownSchema, poison, await encoded('k', 5)],
    });

    await waitFor('the message after the poison ones to be handled', () => handled.some((h) => h.n === 5));
    expect(handled.map((h) => h.n)).toEqual([1, 5]);
    expect(await consumed(metrics, name, 'dead-lettered')).toBe(3);

    const dead = await readTopicToEnd(kafka, dlqTopicOf(topic));
    expect(dead.map((d) => headersOf(d.message))).toEqual([
      expect.objectContaining({
        dlqReason: 'undecodable',
        dlqError: expect.stringContaining('Confluent wire format'),
        dlqOriginalTopic: topic,
        dlqOriginalPartition: '0',
        dlqOriginalOffset: '1',
      }),
      expect.objectContaining({
        dlqReason: 'undecodable',
        dlqError: expect.stringContaining('unknown schema id 2147483392'),
        dlqOriginalOffset: '2',
      }),
      expect.objectContaining({
        dlqReason: 'handler-error',
        dlqError: 'cannot handle message 4',
        dlqOriginalOffset: '3',
        // The relay's own headers travel along, so the message can be replayed as it was.
        eventType: 'TestMessage',
        correlationId: 'purchase-k',
      }),
    ]);
    expect(dead.map((d) => d.message.value)).toEqual([notAvro.value, unknownSchema.value, poison.value]);
    expect(dead.map((d) => d.message.key?.toString())).toEqual(['k', 'k', 'k']);
  });

  it('reports a partition stuck past the bound, once, and clears it when the handler recovers', async () => {
    const topic = await freshTopic(1);
    const handled: Handled[] = [];
    let recovered = false;
    let attempts = 0;
    const stuckAfterMs = 500;
    const { name, metrics, lines } = await startConsumer(
      topic,
      async (message) => {
        attempts += 1;
        if (!recovered) throw new TransientError('Connection terminated unexpectedly');
        handled.push(handledOf(message));
      },
      { retry: { initialMs: 10, maxMs: 50, stuckAfterMs } },
    );
    await producer.send({ topic, acks: -1, messages: [await encoded('k', 1)] });
    const partition = { consumer: name, topic, partition: '0' };
    const stuckCount = () => metricValue(metrics, 'deedstream_consumer_stuck_partitions', { consumer: name });
    const stuckSeconds = () => metricValue(metrics, 'deedstream_consumer_partition_stuck_seconds', partition);

    await waitFor('the partition to be reported stuck', async () => (await stuckCount()) === 1);
    expect(await stuckSeconds()).toBeGreaterThanOrEqual(stuckAfterMs / 1000);
    const warnings = () => lines.filter((l) => l.level === logLevels.warn && l.msg.includes('stuck for'));
    expect(warnings()).toEqual([
      expect.objectContaining({
        consumer: name,
        topic,
        partition: 0,
        msg: expect.stringContaining('first error: Connection terminated unexpectedly'),
        stuckMs: expect.any(Number),
      }),
    ]);
    expect(warnings()[0]?.stuckMs).toBeGreaterThanOrEqual(stuckAfterMs);
    // Still retrying, and still warned only once.
    const attemptsWhenStuck = attempts;
    await waitFor('more retries', () => attempts >= attemptsWhenStuck + 3);
    expect(warnings()).toHaveLength(1);

    recovered = true;
    await waitFor('the message to be handled', () => handled.length === 1);
    await waitFor('the stuck gauge back at 0', async () => (await stuckCount()) === 0);
    expect(await stuckSeconds()).toBe(0);
    const recovery = lines.find((l) => l.msg.includes('recovered after'));
    expect(recovery).toMatchObject({ level: logLevels.info, consumer: name, retries: attempts - 1 });
    expect(recovery?.msg).toMatch(new RegExp(`\\[0\\] recovered after \\d+ s, ${attempts - 1} retries$`));
    expect(await consumed(metrics, name, 'retried')).toBe(attempts - 1);
  });

  it('waits out an unreachable registry without dead-lettering, and leaves the message to the next owner when stopped', async () => {
    const topic = await freshTopic(1);
    const handled: Handled[] = [];
    const handle = async (message: IncomingMessage) => void handled.push(handledOf(message));
    // Nothing listens on port 1: every decode fails as when the registry restarts.
    const unreachable = new SchemaRegistry({ host: 'http://127.0.0.1:1/apis/ccompat/v7' });
    const first = await startConsumer(topic, handle, {
      registry: unreachable,
      retry: { initialMs: 10, maxMs: 50, stuckAfterMs: 200 },
    });
    await producer.send({ topic, acks: -1, messages: [await encoded('k', 1)] });
    const stuck = () =>
      metricValue(first.metrics, 'deedstream_consumer_stuck_partitions', { consumer: first.name });
    await waitFor('the partition to be reported stuck', async () => (await stuck()) === 1);
    expect(await consumed(first.metrics, first.name, 'dead-lettered')).toBe(0);
    expect(await consumed(first.metrics, first.name, 'retried')).toBeGreaterThan(0);
    await first.consumer.stop();
    expect(first.lines.some((l) => l.msg.includes('released while stuck'))).toBe(true);
    expect(await stuck()).toBe(0);

    // The same group with the registry back: the uncommitted message is delivered again.
    const second = await startConsumer(topic, handle);
    await waitFor('the message to be handled by the next owner', () => handled.length === 1);
    expect(handled).toEqual([{ key: 'k', n: 1, partition: 0 }]);
    expect(await consumed(second.metrics, second.name, 'handled')).toBe(1);
    expect((await admin.fetchTopicOffsets(dlqTopicOf(topic)))[0]?.high).toBe('0');
  });
});
