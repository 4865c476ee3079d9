import type { Consumer, Kafka } from 'kafkajs';
import type { TopicRecord } from './offset-ranges';

export interface ReadToEndOptions {
  /** Fail when no message arrives for this long while partitions are still unread. */
  idleTimeoutMs?: number;
  /** Prefix of the throwaway consumer group (deleted afterwards). */
  groupPrefix?: string;
}

/**
 * Streams every message of several topics from the beginning to the end they have now
 * (their high watermarks when the read starts) into `onRecord`, one at a time, holding
 * none in memory: one consumer group for all topics, so the cost of joining a group is
 * paid once. Unlike readTopicToEnd it suits topics of any size. The group commits nothing
 * and is deleted afterwards. Returns how many messages were read.
 */
export async function streamTopicsToEnd(
  kafka: Kafka,
  topics: readonly string[],
  onRecord: (record: TopicRecord) => Promise<void>,
  options: ReadToEndOptions = {},
): Promise<number> {
  const ends = await partitionEnds(kafka, topics);
  if (ends.size === 0) return 0;
  const withMessages = [...new Set([...ends.keys()].map((key) => key.slice(0, key.lastIndexOf(':'))))];

  const groupId = `${options.groupPrefix ?? 'reader'}-${process.pid}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: withMessages, fromBeginning: true });
    return await consumeToEnds(consumer, ends, onRecord, options.idleTimeoutMs ?? 30_000);
  } finally {
    await consumer.disconnect();
    await deleteGroup(kafka, groupId);
  }
}

/** The high watermark of each partition (`topic:partition`) that holds messages now. */
async function partitionEnds(kafka: Kafka, topics: readonly string[]): Promise<Map<string, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}:${p.partition}`, BigInt(p.high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  return ends;
}

/**
 * Runs the subscribed consumer until every partition of `ends` was read up to its end,
 * handing each message before the end to `onRecord`, and resolves with how many it handed
 * over. Rejects when no message arrives for `idleTimeoutMs` or `onRecord` fails.
 */
function consumeToEnds(
  consumer: Consumer,
  ends: ReadonlyMap<string, bigint>,
  onRecord: (record: TopicRecord) => Promise<void>,
  idleTimeoutMs: number,
): Promise<number> {
  const pending = new Set(ends.keys());
  let read = 0;
  return new Promise<number>((resolve, rejectOnce) => {
    let failed = false;
    const reject = (error: unknown) => {
      failed = true;
      clearTimeout(idle);
      rejectOnce(error instanceof Error ? error : new Error(String(error)));
    };
    const stalled = () =>
      reject(
        new Error(
          `reading stalled for ${idleTimeoutMs} ms with ${pending.size} partition(s) unread: ${[...pending].slice(0, 5).join(', ')}`,
        ),
      );
    let idle = setTimeout(stalled, idleTimeoutMs);
    void consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          if (failed) return;
          clearTimeout(idle);
          idle = setTimeout(stalled, idleTimeoutMs);
          const key = `${topic}:${partition}`;
          const end = ends.get(key);
          if (end === undefined || !pending.has(key)) return;
          const offset = BigInt(message.offset);
          if (offset < end) {
            try {
              await onRecord({ topic, partition, message });
            } catch (error) {
              // Not kafkajs' retry: the caller's failure ends the read.
              return reject(error);
            }
            read += 1;
          }
          if (offset >= end - 1n) pending.delete(key);
          if (pending.size === 0) {
            clearTimeout(idle);
            resolve(read);
          }
        },
      })
      .catch(reject);
  });
}

/** Best effort: a left-over group of a finished reader holds no offsets and expires anyway. */
async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch {
    // The broker may still see the member leaving; the empty group expires by itself.
  } finally {
    await admin.disconnect();
  }
}
