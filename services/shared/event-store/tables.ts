import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { EventMetadata } from '../domain/domain-event';
import type { OutboxTable } from '../outbox/outbox-table';

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
  /** SHA-256 link of the stream's hash chain: set by the database on insert (see event-chain.ts). */
  chain_hash: ColumnType<Buffer, never, never>;
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

/** The latest snapshot of each stream (event-sourcing/snapshot-store.ts writes and checks them). */
export interface SnapshotsTable {
  stream_id: string;
  /** The stream version the state is the fold of. */
  version: number;
  format: number;
  /** JSON text, not jsonb: the digest is over these exact bytes. */
  state: string;
  /** sha256 over stream, version, format and state: a changed byte anywhere makes it a miss. */
  digest: string;
  taken_at: ColumnType<Date, Date | undefined, Date | undefined>;
}

export interface SnapshotTables {
  snapshots: SnapshotsTable;
}

/** A snapshot as stored, before it is checked. */
export type StoredSnapshot = Pick<SnapshotsTable, 'version' | 'format' | 'state' | 'digest'>;
