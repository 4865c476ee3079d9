import type { Admin } from 'kafkajs';

/** How many messages a consumer group has not committed yet, per topic partition. */
export async function consumerGroupLag(
  admin: Admin,
  groupId: string,
  topics: string[],
): Promise<Array<{ topic: string; partition: number; lag: number }>> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  const result: Array<{ topic: string; partition: number; lag: number }> = [];
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const group = committed.find((c) => c.topic === topic);
    for (const end of ends) {
      const offset = group?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      // -1: nothing committed yet, the whole partition is behind.
      const from = offset === '-1' ? BigInt(end.low) : BigInt(offset);
      result.push({ topic, partition: end.partition, lag: Number(BigInt(end.high) - from) });
    }
  }
  return result;
}
