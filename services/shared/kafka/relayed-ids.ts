import type { Kafka } from 'kafkajs';
import { readOffsetRanges, type OffsetRange } from './offset-ranges';
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
  const ranges: OffsetRange[] = [];
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
  await readOffsetRanges(
    kafka,
    ranges,
    ({ message }) => {
      const id = header(message, idHeader);
      if (id) ids.add(id);
      return 'continue';
    },
    { groupPrefix: 'slot-recovery', idleTimeoutMs },
  );
  return ids;
}
