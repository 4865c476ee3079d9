import type { EventDecoder } from '../codec/event-decoder';
import type { KafkaMessage } from 'kafkajs';
import { decodeEvent, header, UndecodableMessageError } from '../kafka/relayed-message';

/** A command or reply as its receiver sees it. */
export interface IncomingMessage<T = Record<string, unknown>> {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  messageId: string;
  type: string;
  correlationId: string;
  causationId: string | null;
  /** The user on whose behalf the message was sent (the `actor` header), if any. */
  actor: string | null;
  sequence: number;
  occurredAt: string;
  data: T;
}

/** Decodes a relayed message; UndecodableMessageError if it can never be read. */
export async function decodeIncoming(
  decoder: EventDecoder,
  topic: string,
  partition: number,
  message: KafkaMessage,
): Promise<IncomingMessage> {
  const relayed = await decodeEvent(decoder, topic, partition, message);
  const correlationId = header(message, 'correlationId');
  if (!correlationId) throw new UndecodableMessageError('missing correlationId header');
  return {
    topic,
    partition,
    offset: message.offset,
    key: relayed.aggregateId,
    messageId: relayed.eventId,
    type: relayed.eventType,
    correlationId,
    causationId: header(message, 'causationId') ?? null,
    actor: header(message, 'actor') ?? null,
    sequence: relayed.version,
    occurredAt: relayed.occurredAt,
    data: relayed.data,
  };
}
