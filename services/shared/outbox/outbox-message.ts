/**
 * A message leaving a service. It is written to the outbox table in the same
 * transaction as the state change it announces; Debezium relays it to Kafka.
 */
export interface OutboxMessage {
  /** Unique per message; Debezium's outbox router uses it as the Kafka message id. */
  id: string;
  /** Routes to the topic `<aggregateType>.events` (or a command/reply topic). */
  aggregateType: string;
  /** Kafka message key: every message of one aggregate lands in one partition, in order. */
  aggregateId: string;
  /** Event or message type; carried as the `eventType` header. */
  type: string;
  /** Avro bytes in the Confluent wire format. */
  payload: Buffer;
  eventId: string;
  aggregateVersion: number;
  correlationId: string;
  causationId: string | null;
  traceparent: string | null;
  /** Who caused it: the verified user behind the command (the `actor` header), or null for the system. */
  actor: string | null;
  occurredAt: Date;
}
