import type { Kafka } from 'kafkajs';
import { header } from './relayed-message';

/**
 * The ids (header `idHeader`) of every message on `topics` from `since` to the end they
 * have now. Records are found by timestamp, so a message is seen if Kafka stamped it at
 * or after `since`. Reads without committing anything; the throwaway group is deleted.
 */
export async function relayedIdsSince(
  kafka: Kafka,
  topics: readonly string[],
  since: Date,
  idHeader = 'id',
  idleTimeoutMs = 15_000,
): Promise<Set<string>> {
  const ids = new Set<string>();
  const admin = kafka.admin();
  await admin.connect();
  const ranges: Array<{ topic: string; partition: number; start: bigint; end: bigint }> = [];
  try {
    for (const topic of topics) {
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
      for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, since.getTime())) {
        const end = ends.get(partition) ?? 0n;
        if (BigInt(offset) < end) ranges.push({ topic, partition, start: BigInt(offset), end });
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (ranges.length === 0) return ids;

  const groupId = `slot-recovery-${process.pid}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const pending = new Map(ranges.map((r) => [`${r.topic}:${r.partition}`, r]));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...new Set(ranges.map((r) => r.topic))] });
    await new Promise<void>((resolve, reject) => {
      const stalled = () => reject(new Error(`reading ${topics.join(', ')} stalled for ${idleTimeoutMs} ms`));
      let idle = setTimeout(stalled, idleTimeoutMs);
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            clearTimeout(idle);
            idle = setTimeout(stalled, idleTimeoutMs);
            const range = pending.get(`${topic}:${partition}`);
            if (!range) return;
            const offset = BigInt(message.offset);
            if (offset < range.end) {
              const id = header(message, idHeader);
              if (id) ids.add(id);
            }
            if (offset >= range.end - 1n) pending.delete(`${topic}:${partition}`);
            if (pending.size === 0) {
              clearTimeout(idle);
              resolve();
            }
          },
        })
        .catch(reject);
      for (const r of ranges)
        consumer.seek({ topic: r.topic, partition: r.partition, offset: String(r.start) });
    });
  } finally {
    await consumer.disconnect();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteGroups([groupId]).catch(() => undefined);
    await cleanup.disconnect();
  }
  return ids;
}
