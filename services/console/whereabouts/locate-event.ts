import { Partitioners, type Kafka } from 'kafkajs';
import { readOffsetRanges } from '../../shared/kafka/offset-ranges';
import { header } from '../../shared/kafka/relayed-message';

/** Where one aggregate version sits on Kafka. */
export interface KafkaPosition {
  topic: string;
  partition: number;
  offset: string;
  /** The message's Kafka timestamp (the relay's produce time), ISO 8601. */
  timestamp: string;
}

export interface LocateRequest {
  topic: string;
  aggregateId: string;
  version: number;
  /** When the event was committed: the search starts shortly before it. */
  committedAt: Date;
  /** How far before `committedAt` to start (clocks and relay delay). */
  marginMs?: number;
  idleTimeoutMs?: number;
  /** Gives up after reading this many messages of the partition (an old version on a busy topic). */
  maxMessages?: number;
}

/** The search gave up: the partition holds too much after the commit to read here. */
export class SearchTooLongError extends Error {
  constructor(read: number, partition: number) {
    super(`gave up after reading ${read} messages of partition ${partition} from the commit time on`);
    this.name = 'SearchTooLongError';
  }
}

/** The partition Kafka's default partitioner (murmur2 of the key, as Debezium's producer uses) gives `key`. */
export function partitionOfKey(topic: string, key: string, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  return partitioner({
    topic,
    partitionMetadata: Array.from({ length: partitions }, (_, partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
    })),
    message: { key, value: null },
  });
}

/**
 * Finds the message of `aggregateId` at `version` on its topic: the key's partition, read
 * from the first offset stamped at `committedAt - margin` to the partition's end now (at
 * most `maxMessages`: the search of an old version on a busy topic gives up). Reads without committing; the throwaway group is deleted. Undefined when it is not (yet)
 * on Kafka.
 */
export async function locateEvent(kafka: Kafka, request: LocateRequest): Promise<KafkaPosition | undefined> {
  const { topic, aggregateId, version } = request;
  const admin = kafka.admin();
  await admin.connect();
  let partition: number;
  let start: bigint;
  let end: bigint;
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    partition = partitionOfKey(topic, aggregateId, metadata.topics[0]?.partitions.length ?? 1);
    const since = request.committedAt.getTime() - (request.marginMs ?? 60_000);
    const high = (await admin.fetchTopicOffsets(topic)).find((p) => p.partition === partition);
    const from = (await admin.fetchTopicOffsetsByTimestamp(topic, since)).find(
      (p) => p.partition === partition,
    );
    end = BigInt(high?.high ?? '0');
    start = BigInt(from?.offset ?? high?.high ?? '0');
  } finally {
    await admin.disconnect();
  }
  if (start >= end) return undefined;

  const maxMessages = request.maxMessages ?? 200_000;
  let found: KafkaPosition | undefined;
  let read = 0;
  let gaveUp = false;
  await readOffsetRanges(
    kafka,
    [{ topic, partition, start, end }],
    ({ message }) => {
      read += 1;
      if (read > maxMessages) {
        gaveUp = true;
        return 'stop';
      }
      if (
        message.key?.toString() === aggregateId &&
        header(message, 'aggregateVersion') === String(version)
      ) {
        found = {
          topic,
          partition,
          offset: message.offset,
          timestamp: new Date(Number(message.timestamp)).toISOString(),
        };
        return 'stop';
      }
      return 'continue';
    },
    { groupPrefix: 'console-locate', idleTimeoutMs: request.idleTimeoutMs ?? 10_000 },
  );
  if (gaveUp) throw new SearchTooLongError(maxMessages, partition);
  return found;
}
