import { Partitioners, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';

export type ParkReason =
  'undecodable' | 'handler-error' | 'rejected-document' | 'parked-behind' | 'invalid-record';

export interface ParkedMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
  reason: ParkReason;
  error: string;
}

export const dlqTopicOf = (topic: string) => `${topic}.dlq`;

/**
 * The producer a consumer parks messages with: idempotent, one request in flight (parked
 * messages of one key keep their order), Kafka's default (murmur2) partitioner by name.
 */
export function deadLetterProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

/** The original headers minus null ones (the relay sends null for an absent causationId; a producer cannot). */
function presentHeaders(message: KafkaMessage): IHeaders {
  const headers: IHeaders = {};
  for (const [key, value] of Object.entries(message.headers ?? {}))
    if (value !== null && value !== undefined) headers[key] = value;
  return headers;
}

/**
 * Sends parked messages to `<topic>.dlq`, unchanged (key, value, original headers), with
 * headers naming the error, the projection and where the message came from.
 */
export async function sendToDeadLetter(
  producer: Producer,
  projection: string,
  parked: ParkedMessage[],
): Promise<void> {
  if (parked.length === 0) return;
  const byTopic = new Map<string, ParkedMessage[]>();
  for (const p of parked) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p]);
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, messages]) => ({
      topic: dlqTopicOf(topic),
      messages: messages.map((p) => ({
        key: p.message.key,
        value: p.message.value,
        headers: {
          ...presentHeaders(p.message),
          dlqProjection: projection,
          dlqReason: p.reason,
          dlqError: p.error.slice(0, 4000),
          dlqOriginalTopic: p.topic,
          dlqOriginalPartition: String(p.partition),
          dlqOriginalOffset: p.message.offset,
          dlqParkedAt: new Date().toISOString(),
        },
      })),
    })),
  });
}
