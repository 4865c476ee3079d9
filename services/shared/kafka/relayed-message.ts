import { UnknownWriterSchemaError, type DecodedPayload, type EventDecoder } from '../codec/event-decoder';
import type { KafkaMessage } from 'kafkajs';
import { isTransient, TransientError } from '../errors/transient';
import { messageOf } from '../errors/message-of';

/** A message that can never become an event (bad bytes, unknown schema, missing header). */
export class UndecodableMessageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UndecodableMessageError';
  }
}

export function header(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === null ? undefined : first.toString();
}

/** A message relayed from an outbox: decoded payload plus the relay's headers. */
export interface RelayedMessage {
  aggregateId: string;
  eventId: string;
  eventType: string;
  /** The aggregate's version after this event (1 for its first event). */
  version: number;
  occurredAt: string;
  /** The schema version the payload was written with; `data` is already upcast to today's. */
  writtenVersion?: number;
  data: Record<string, unknown>;
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Turns a relayed message into an event: the key is the aggregate id, the relay's
 * headers give id, type, version and time, the value is Avro decoded with its writer's
 * schema and upcast to the current version of its type (see EventDecoder).
 */
export async function decodeEvent(
  decoder: EventDecoder,
  topic: string,
  partition: number,
  message: KafkaMessage,
): Promise<RelayedMessage> {
  const aggregateId = message.key?.toString();
  const eventId = header(message, 'eventId');
  const eventType = header(message, 'eventType');
  const version = Number(header(message, 'aggregateVersion'));
  const occurredAt = header(message, 'occurredAt');
  if (!aggregateId || !eventId || !eventType || !Number.isInteger(version) || version < 1 || !occurredAt) {
    throw new UndecodableMessageError(
      'missing key or relay headers (eventId, eventType, aggregateVersion, occurredAt)',
    );
  }
  if (!message.value || message.value.length < 5 || message.value[0] !== 0) {
    throw new UndecodableMessageError(
      'value is not in the Confluent wire format (magic byte 0, schema id, Avro body)',
    );
  }
  let decoded: DecodedPayload;
  try {
    decoded = await decoder.decode(topic, message.value);
  } catch (error) {
    if (error instanceof UnknownWriterSchemaError)
      throw new UndecodableMessageError(error.message, { cause: error });
    const text = messageOf(error);
    // The registry being down or restarting (see isTransient) is no fault of the message.
    if (isTransient(error)) throw new TransientError(`schema registry: ${text}`, { cause: error });
    if (isRegistryNotFound(error)) {
      throw new UndecodableMessageError(`unknown schema id ${message.value.readInt32BE(1)}: ${text}`, {
        cause: error,
      });
    }
    throw new UndecodableMessageError(`Avro decoding failed: ${text}`, { cause: error });
  }
  if (decoded.eventType !== eventType) {
    throw new UndecodableMessageError(
      `the eventType header says ${eventType} but the payload's schema is ${decoded.eventType}`,
    );
  }
  return {
    aggregateId,
    eventId,
    eventType,
    version,
    occurredAt,
    writtenVersion: decoded.writtenVersion,
    data: decoded.data,
    topic,
    partition,
    offset: message.offset,
  };
}

/** The registry answered 404: it has no schema with the id the message names. */
function isRegistryNotFound(error: unknown): boolean {
  return error instanceof Error && 'status' in error && error.status === 404;
}
