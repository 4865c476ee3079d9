import type { KafkaMessage } from 'kafkajs';
import { header } from '../../shared/kafka/relayed-message';
import type { EntriesTable } from '../audit-tables';

/** A row of the audit trail, as the recorder inserts it. */
export type AuditRow = Omit<EntriesTable, 'position' | 'occurred_at' | 'recorded_at'> & {
  occurred_at: string;
};

/** Why a message could not be recorded: it lacks what every relayed message carries. */
export class UnauditableMessageError extends Error {}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function kindOf(topic: string): AuditRow['kind'] {
  if (topic.endsWith('.commands')) return 'command';
  if (topic.endsWith('.replies')) return 'reply';
  return 'event';
}

/**
 * What the trail keeps of a relayed message: who (the actor header: the token subject the
 * command ran for), what (its type, on which aggregate), when, and in which conversation (the
 * correlation id: a purchase's transaction id for every saga message). Headers only: the
 * payload stays in its event store or on its topic (nothing personal is copied, only
 * pseudonymous ids), and a schema this service has never seen is no obstacle.
 */
export function auditRowOf(topic: string, partition: number, message: KafkaMessage): AuditRow {
  const messageId = header(message, 'eventId');
  const type = header(message, 'eventType');
  const sequence = Number(header(message, 'aggregateVersion'));
  const occurredAt = header(message, 'occurredAt');
  const correlationId = header(message, 'correlationId');
  const key = message.key?.toString();
  if (!messageId || !type || !occurredAt || !correlationId || !key || !Number.isInteger(sequence)) {
    throw new UnauditableMessageError(
      `${topic}[${partition}]@${message.offset} lacks its key or a relay header (eventId, eventType, aggregateVersion, occurredAt, correlationId)`,
    );
  }
  // Strictly ISO 8601 with a zone: Date.parse takes "1" for 2001, which Postgres refuses.
  if (!ISO_INSTANT.test(occurredAt) || Number.isNaN(Date.parse(occurredAt))) {
    throw new UnauditableMessageError(
      `${topic}[${partition}]@${message.offset}: occurredAt "${occurredAt}" is not an instant`,
    );
  }
  return {
    message_id: messageId,
    kind: kindOf(topic),
    topic,
    kafka_partition: partition,
    kafka_offset: message.offset,
    // Topics are named <aggregate or service>.<events|commands|replies>.
    aggregate_type: topic.slice(0, topic.lastIndexOf('.')),
    aggregate_id: key,
    sequence,
    type,
    actor: header(message, 'actor') ?? null,
    correlation_id: correlationId,
    causation_id: header(message, 'causationId') ?? null,
    occurred_at: occurredAt,
  };
}
