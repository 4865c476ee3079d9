import type { Kafka } from 'kafkajs';
import { readOffsetRanges, type OffsetRange, type TopicRecord } from './offset-ranges';

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
  let ranges: OffsetRange[];
  try {
    const starts = new Map(
      (await admin.fetchTopicOffsetsByTimestamp(topic, 0)).map((p) => [p.partition, BigInt(p.offset)]),
    );
    ranges = (await admin.fetchTopicOffsets(topic)).map((p) => ({
      topic,
      partition: p.partition,
      start: starts.get(p.partition) ?? 0n,
      end: BigInt(p.high),
    }));
  } finally {
    await admin.disconnect();
  }
  const records: TopicRecord[] = [];
  await readOffsetRanges(
    kafka,
    ranges,
    (record) => {
      records.push(record);
      return 'continue';
    },
    { groupPrefix: `reader-${topic}`, idleTimeoutMs },
  );
  return records.sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset)),
  );
}
