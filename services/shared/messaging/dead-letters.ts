import type { Kafka } from 'kafkajs';
import { dlqTopicOf } from '../kafka/dead-letter';
import { header } from '../kafka/relayed-message';
import type { TopicRecord } from '../kafka/offset-ranges';
import { readTopicToEnd } from '../kafka/topic-reader';

/** A consumer whose poison messages go to `<topic>.dlq`, and how to tell one was handled since. */
export interface DeadLetterSource {
  /** The consumer's name, as the `dlqProjection` header of its dead letters carries it. */
  consumer: string;
  topics: readonly string[];
  /** Whether the consumer has handled this message since it was parked (its inbox, its version guard). */
  handled(message: DeadLetter): Promise<boolean>;
}

/** One dead-lettered message, as operators see it. */
export interface DeadLetter {
  record: TopicRecord;
  key: string;
  messageId: string | undefined;
  type: string | undefined;
  version: number | undefined;
  reason: string | undefined;
  error: string | undefined;
  originalTopic: string;
  original: string;
}

export function describeDeadLetter(record: TopicRecord): DeadLetter {
  const m = record.message;
  const version = Number(header(m, 'aggregateVersion'));
  return {
    record,
    key: m.key?.toString() ?? '',
    messageId: header(m, 'eventId'),
    type: header(m, 'eventType'),
    version: Number.isInteger(version) ? version : undefined,
    reason: header(m, 'dlqReason'),
    error: header(m, 'dlqError'),
    originalTopic: header(m, 'dlqOriginalTopic') ?? record.topic.replace(/\.dlq$/, ''),
    original: `${header(m, 'dlqOriginalTopic')}/${header(m, 'dlqOriginalPartition')}@${header(m, 'dlqOriginalOffset')}`,
  };
}

/** The consumer's dead letters (one per message id: the latest parking), oldest first. */
export async function deadLettersOf(
  kafka: Kafka,
  source: DeadLetterSource,
  key?: string,
): Promise<DeadLetter[]> {
  const latest = new Map<string, DeadLetter>();
  for (const topic of source.topics) {
    for (const record of await readTopicToEnd(kafka, dlqTopicOf(topic))) {
      if (header(record.message, 'dlqProjection') !== source.consumer) continue;
      const letter = describeDeadLetter(record);
      if (key !== undefined && letter.key !== key) continue;
      latest.set(letter.messageId ?? `${record.topic}/${record.partition}@${record.message.offset}`, letter);
    }
  }
  return [...latest.values()];
}

/**
 * Re-drives the dead letters the consumer has not handled since: each goes back to its
 * original topic, unchanged (key, value, the relay's headers), in the order it was parked.
 * Receivers are idempotent (inbox, version guards), so a message handled twice changes
 * nothing; one that fails again is parked again.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  source: DeadLetterSource,
  key?: string,
): Promise<{ replayed: DeadLetter[]; alreadyHandled: number }> {
  const letters = await deadLettersOf(kafka, source, key);
  const pending: DeadLetter[] = [];
  for (const letter of letters) if (!(await source.handled(letter))) pending.push(letter);
  if (pending.length > 0) {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (const letter of pending) {
        const { message } = letter.record;
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).filter(
            ([name, value]) => !name.startsWith('dlq') && value !== undefined && value !== null,
          ),
        );
        await producer.send({
          topic: letter.originalTopic,
          acks: -1,
          messages: [
            {
              key: message.key,
              value: message.value,
              headers: { ...headers, replayedFromDlq: letter.original },
            },
          ],
        });
      }
    } finally {
      await producer.disconnect();
    }
  }
  return { replayed: pending, alreadyHandled: letters.length - pending.length };
}
