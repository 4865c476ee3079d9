import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { EventMetadata } from '../event-sourcing/domain-event';

/**
 * The tables every event-sourced service has in its own Postgres schema
 * (see event-store/migration.ts). Kysely uses these types to check every query.
 */
export interface EventsTable {
  /** Global position: order of appends across all streams of the service. */
  position: Generated<bigint>;
  event_id: string;
  stream_id: string;
  stream_type: string;
  /** 1-based version within the stream; UNIQUE(stream_id, version) guards concurrency. */
  version: number;
  event_type: string;
  schema_version: number;
  payload: JSONColumnType<object>;
  metadata: JSONColumnType<EventMetadata>;
  occurred_at: ColumnType<Date, Date | undefined, never>;
}

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

export interface IdempotencyKeysTable {
  key: string;
  /** The route the key was used on: a key is unique per route, not globally. */
  scope: string;
  request_hash: string;
  response_status: number;
  response_body: JSONColumnType<object>;
  response_headers: JSONColumnType<Record<string, string>>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface EventStoreTables {
  events: EventsTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyKeysTable;
}
