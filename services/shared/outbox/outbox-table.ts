import type { ColumnType } from 'kysely';

/**
 * Shape Debezium's Outbox Event Router reads: id, aggregatetype, aggregateid, type,
 * payload; the other columns become Kafka headers.
 */
export interface OutboxTable {
  id: string;
  aggregatetype: string;
  aggregateid: string;
  type: string;
  /** Avro record in the Confluent wire format: magic byte 0, schema id (int32), body. */
  payload: Buffer;
  event_id: string;
  aggregate_version: number;
  correlation_id: string;
  causation_id: string | null;
  traceparent: string | null;
  /** The user behind the message (relayed as the `actor` header); null for rows written before it existed. */
  actor: ColumnType<string | null, string | null | undefined, never>;
  /** ISO-8601 text, so the relay can copy it into a header unchanged. */
  occurred_at: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}
