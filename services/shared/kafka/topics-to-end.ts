import type { Kafka } from 'kafkajs';
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
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
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
  if (ends.size === 0) return 0;
  const pending = new Set(ends.keys());
  const withMessages = [...new Set([...pending].map((key) => key.slice(0, key.lastIndexOf(':'))))];

  const groupId = `${options.groupPrefix ?? 'reader'}-${process.pid}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  let read = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: withMessages, fromBeginning: true });
    await new Promise<void>((resolve, rejectOnce) => {
      let failed = false;
      const reject = (error: Error) => {
        failed = true;
        clearTimeout(idle);
        rejectOnce(error);
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
                return reject(error instanceof Error ? error : new Error(String(error)));
              }
              read += 1;
            }
            if (offset >= end - 1n) pending.delete(key);
            if (pending.size === 0) {
              clearTimeout(idle);
              resolve();
            }
          },
        })
        .catch((error: unknown) => reject(error instanceof Error ? error : new Error(String(error))));
    });
  } finally {
    await consumer.disconnect();
    await deleteGroup(kafka, groupId);
  }
  return read;
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
