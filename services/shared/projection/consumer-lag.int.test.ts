import { randomUUID } from 'node:crypto';
import { deleteConsumerGroups } from '../../../test/support/kafka-cleanup';
import type { Admin, Producer } from 'kafkajs';
import { createKafka } from '../kafka/kafka-client';
import { infrastructureConfig } from '../service/infrastructure';
import { consumerGroupLag } from './consumer-lag';

/** A consumer group's lag as the real broker reports its offsets: what rebuilds and tests wait on. */
const kafka = createKafka(infrastructureConfig().KAFKA_BROKERS, 'consumer-lag-it');
const suffix = randomUUID().slice(0, 8);
let admin: Admin;
let producer: Producer;
const topics: string[] = [];
const groups: string[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  const existing = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
  const made = groups.filter((g) => existing.has(g));
  await deleteConsumerGroups(admin, made);
  if (topics.length > 0) await admin.deleteTopics({ topics });
  await producer.disconnect();
  await admin.disconnect();
});

/** A topic of three partitions holding `counts[p]` messages in partition p. */
async function topicWith(counts: readonly number[]): Promise<string> {
  const topic = `it.consumer-lag.${suffix}.${topics.length}`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: counts.length }] });
  topics.push(topic);
  for (const [partition, count] of counts.entries()) await send(topic, partition, count);
  return topic;
}

async function send(topic: string, partition: number, count: number): Promise<void> {
  if (count === 0) return;
  const messages = Array.from({ length: count }, (_, i) => ({ partition, key: `k${i}`, value: `m${i}` }));
  await producer.send({ topic, acks: -1, messages });
}

function group(): string {
  const id = `it.consumer-lag.${suffix}.${groups.length}`;
  groups.push(id);
  return id;
}

/**
 * Commits `offsets` (partition → next offset to read) for the group, as a member of it would
 * (a member that handles nothing; admin.setOffsets would wait out a whole idle fetch).
 */
async function commit(groupId: string, topic: string, offsets: Record<number, number>): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic] });
    const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    await joined;
    await consumer.commitOffsets(
      Object.entries(offsets).map(([partition, offset]) => ({
        topic,
        partition: Number(partition),
        offset: String(offset),
      })),
    );
  } finally {
    await consumer.disconnect();
  }
}

/** The lag of each partition as [topic (its index in `topics`), partition, lag], in that order. */
const lags = async (groupId: string, of: string[]) =>
  (await consumerGroupLag(admin, groupId, of))
    .map(({ topic, partition, lag }) => [topics.indexOf(topic), partition, lag])
    .sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));

describe('consumerGroupLag', () => {
  it('counts every message of a partition the group has committed nothing on', async () => {
    const topic = await topicWith([5, 3, 0]);
    expect(await lags(group(), [topic])).toEqual([
      [topics.indexOf(topic), 0, 5],
      [topics.indexOf(topic), 1, 3],
      [topics.indexOf(topic), 2, 0],
    ]);
  });

  it('counts what follows the committed offset, and grows as messages arrive', async () => {
    const topic = await topicWith([5, 3, 4]);
    const t = topics.indexOf(topic);
    const groupId = group();
    await commit(groupId, topic, { 0: 2, 1: 3 });
    expect(await lags(groupId, [topic])).toEqual([
      [t, 0, 3],
      [t, 1, 0],
      // Nothing committed on this partition: all of it.
      [t, 2, 4],
    ]);
    await send(topic, 1, 2);
    expect(await lags(groupId, [topic])).toEqual([
      [t, 0, 3],
      [t, 1, 2],
      [t, 2, 4],
    ]);
  });

  it('counts a never-read partition from its first remaining message, not from offset 0', async () => {
    const topic = await topicWith([5, 1, 0]);
    // The admin deletes through the partition leader it knows of: learn the new topic's first.
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '3' }] });
    const t = topics.indexOf(topic);
    expect(await lags(group(), [topic])).toEqual([
      [t, 0, 2],
      [t, 1, 1],
      [t, 2, 0],
    ]);
  });

  it('reports each topic asked about, whole for one the group never read', async () => {
    const [read, unread] = [await topicWith([2, 2, 2]), await topicWith([1, 0, 1])];
    const groupId = group();
    await commit(groupId, read, { 0: 2, 1: 1, 2: 2 });
    const [r, u] = [topics.indexOf(read), topics.indexOf(unread)];
    expect(await lags(groupId, [read, unread])).toEqual([
      [r, 0, 0],
      [r, 1, 1],
      [r, 2, 0],
      [u, 0, 1],
      [u, 1, 0],
      [u, 2, 1],
    ]);
  });
});
