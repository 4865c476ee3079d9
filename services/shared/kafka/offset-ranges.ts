import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

/** Offsets `start` (inclusive) to `end` (exclusive) of one partition. */
export interface OffsetRange {
  topic: string;
  partition: number;
  start: bigint;
  end: bigint;
}

export interface TopicRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** Called with each record inside a range, in offset order per partition; 'stop' ends the read early. */
export type RecordVisitor = (record: TopicRecord) => 'continue' | 'stop';

export interface RangeReadOptions {
  /** Names the throwaway consumer group (`<prefix>-<pid>-<random>`), so a leftover says who made it. */
  groupPrefix: string;
  /** Gives up when no record arrives for this long. */
  idleTimeoutMs: number;
}

/**
 * Reads the given offset ranges once, without committing anything, through a throwaway
 * consumer group that is deleted afterwards. Resolves when every range was read to its end
 * or the visitor said stop; rejects when the read stalls.
 */
export async function readOffsetRanges(
  kafka: Kafka,
  ranges: readonly OffsetRange[],
  visit: RecordVisitor,
  options: RangeReadOptions,
): Promise<void> {
  const pending = new Map(ranges.filter((r) => r.start < r.end).map((r) => [`${r.topic}:${r.partition}`, r]));
  if (pending.size === 0) return;
  const topics = [...new Set([...pending.values()].map((r) => r.topic))];
  const groupId = `${options.groupPrefix}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics });
    await new Promise<void>((resolve, reject) => {
      const stalled = () =>
        reject(new Error(`reading ${topics.join(', ')} stalled for ${options.idleTimeoutMs} ms`));
      let idle = setTimeout(stalled, options.idleTimeoutMs);
      const finish = () => {
        clearTimeout(idle);
        resolve();
      };
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const key = `${topic}:${partition}`;
            const range = pending.get(key);
            if (!range) return;
            clearTimeout(idle);
            idle = setTimeout(stalled, options.idleTimeoutMs);
            const offset = BigInt(message.offset);
            if (offset < range.end && visit({ topic, partition, message }) === 'stop') {
              pending.clear();
              finish();
              return;
            }
            if (offset >= range.end - 1n) pending.delete(key);
            if (pending.size === 0) finish();
          },
        })
        .catch(reject);
      for (const r of pending.values())
        consumer.seek({ topic: r.topic, partition: r.partition, offset: String(r.start) });
    });
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
