import { randomUUID } from 'node:crypto';
import { deleteConsumerGroups } from '../../../test/support/kafka-cleanup';
import type { Admin, EachMessagePayload, Producer } from 'kafkajs';
import { capturedLogger } from '../../../test/support/captured-logger';
import { waitFor } from '../../../test/support/wait-for';
import { infrastructureConfig } from '../service/infrastructure';
import { ConsumerSession, type SessionClients } from './consumer-session';
import { createKafka } from './kafka-client';
import type { GroupSettings } from './group-consumer';

/** The life of one group member against the real broker: start, consume, commit on stop, fail cleanly. */
const config = infrastructureConfig();
const kafka = createKafka(config.KAFKA_BROKERS, 'consumer-session-it');
// Commit only at a stop (an interval longer than any test): what the stop commits is what this test sees.
const group: GroupSettings = { sessionTimeoutMs: 10_000, fetchWaitMs: 200, commitIntervalMs: 60_000 };
const { logger } = capturedLogger('silent');

let admin: Admin;
let producer: Producer;
const topics: string[] = [];
const groups: string[] = [];
const sessions: ConsumerSession[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.stop()));
  await deleteConsumerGroups(admin, groups);
  if (topics.length > 0) await admin.deleteTopics({ topics });
  await producer.disconnect();
  await admin.disconnect();
});

async function freshTopic(): Promise<string> {
  const topic = `it.consumer-session.${randomUUID().slice(0, 8)}`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  topics.push(topic);
  return topic;
}

/** A session whose handler records each value and marks it handled, then calls `onMessage`. */
function sessionOn(
  topic: string,
  groupId: string,
  received: string[],
  onMessage: (session: ConsumerSession) => Promise<void> = async () => undefined,
): ConsumerSession {
  groups.push(groupId);
  const session: ConsumerSession = new ConsumerSession(
    { kafka, logger },
    {
      name: `session-it ${groupId}`,
      groupId,
      topics: [topic],
      group,
      run: ({ commits }: SessionClients) => ({
        autoCommit: false,
        eachMessage: async ({ topic: from, partition, message }: EachMessagePayload) => {
          received.push(message.value?.toString() ?? '');
          await onMessage(session);
          await commits.mark(from, partition, (BigInt(message.offset) + 1n).toString());
        },
      }),
    },
  );
  sessions.push(session);
  return session;
}

const send = (topic: string, ...values: string[]) =>
  producer.send({ topic, messages: values.map((value) => ({ key: 'k', value })) });

describe('ConsumerSession', () => {
  it('reads a new group from the beginning, and a stop commits what was handled', async () => {
    const topic = await freshTopic();
    const groupId = `it.session.${randomUUID().slice(0, 8)}`;
    await send(topic, 'a', 'b', 'c');

    const first: string[] = [];
    const session = sessionOn(topic, groupId, first);
    await session.start();
    await waitFor('the three messages', () => first.length === 3);
    expect(session.active).toBe(true);
    expect(session.membership.view()).toMatchObject({ groupId, state: 'member', partitions: 1 });
    await session.stop();
    expect(session.current).toBeUndefined();
    expect(session.active).toBe(false);

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '3' })]);

    // The next member of the group takes up after the commit: nothing handled is delivered again.
    const second: string[] = [];
    await send(topic, 'd');
    const next = sessionOn(topic, groupId, second);
    await next.start();
    await waitFor('the message sent after the stop', () => second.length === 1);
    await next.stop();
    expect(second).toEqual(['d']);
    expect(first).toEqual(['a', 'b', 'c']);
  });

  it('ends a retry loop in hand once a stop begins, so the stop finishes', async () => {
    const topic = await freshTopic();
    const retried: string[] = [];
    let looping = false;
    // A handler that retries a dependency that never comes back, for as long as the session is active.
    const session = sessionOn(topic, `it.session.${randomUUID().slice(0, 8)}`, retried, async (self) => {
      looping = true;
      while (self.active) await new Promise((resolve) => setTimeout(resolve, 20));
      looping = false;
    });
    await session.start();
    await send(topic, 'stuck');
    await waitFor('the handler to be retrying', () => looping);
    await session.stop();
    expect(looping).toBe(false);
    expect(session.current).toBeUndefined();
  });

  it('fails a start it cannot connect and leaves no client behind', async () => {
    const unreachable = createKafka('127.0.0.1:1', 'consumer-session-it-unreachable');
    const session = new ConsumerSession(
      { kafka: unreachable, logger },
      {
        name: 'session-it unreachable',
        groupId: `it.session.${randomUUID().slice(0, 8)}`,
        topics: ['it.consumer-session.nowhere'],
        group,
        run: () => ({ eachMessage: async () => undefined }),
      },
    );
    await expect(session.start()).rejects.toThrow();
    expect(session.current).toBeUndefined();
    expect(session.active).toBe(false);
    // Asking it to stop afterwards is harmless.
    await session.stop();
  }, 60_000);
});
