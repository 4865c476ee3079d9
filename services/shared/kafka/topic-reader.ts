import type { Kafka, KafkaMessage } from 'kafkajs';

export interface TopicRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Reads a topic from the beginning to the end it has now (its high watermarks when the
 * read starts), in partition order, without joining a consumer group's commits.
 */
export async function readTopicToEnd(
  kafka: Kafka,
  topic: string,
  idleTimeoutMs = 10_000,
): Promise<TopicRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  const starts = new Map(
    (await admin.fetchTopicOffsetsByTimestamp(topic, 0)).map((p) => [p.partition, BigInt(p.offset)]),
  );
  await admin.disconnect();
  const pending = new Set(
    [...ends].filter(([partition, end]) => end > (starts.get(partition) ?? 0n)).map(([p]) => p),
  );
  const records: TopicRecord[] = [];
  if (pending.size === 0) return records;

  const consumer = kafka.consumer({
    groupId: `reader-${topic}-${process.pid}-${Date.now()}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      let idle = setTimeout(
        () => reject(new Error(`reading ${topic} stalled for ${idleTimeoutMs} ms`)),
        idleTimeoutMs,
      );
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            clearTimeout(idle);
            idle = setTimeout(
              () => reject(new Error(`reading ${topic} stalled for ${idleTimeoutMs} ms`)),
              idleTimeoutMs,
            );
            const end = ends.get(partition) ?? 0n;
            if (BigInt(message.offset) < end) records.push({ topic, partition, message });
            if (BigInt(message.offset) >= end - 1n) pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(idle);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset)),
  );
}
