import { sql, type Kysely } from 'kysely';
import { forbidMutation } from '../db/append-only';

/**
 * Creates the event store of one service in its own Postgres schema: the append-only
 * `events` table, the `outbox` that Debezium relays, and `idempotency_keys`. Every
 * event-sourced service's first migration calls this, so they all share one shape.
 */
export async function createEventStoreTables(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema.createSchema(schema).ifNotExists().execute();
  const s = db.schema.withSchema(schema);

  await s
    .createTable('events')
    .addColumn('position', 'bigserial', (c) => c.primaryKey())
    .addColumn('event_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('stream_id', 'text', (c) => c.notNull())
    .addColumn('stream_type', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('schema_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // The optimistic-concurrency guard: two writers at the same expected version collide here.
    .addUniqueConstraint('events_stream_version_unique', ['stream_id', 'version'])
    .execute();
  await s
    .createIndex('events_stream_occurred_at')
    .on('events')
    .columns(['stream_id', 'occurred_at'])
    .execute();

  // History is immutable: UPDATE and DELETE on events fail, whoever issues them.
  await forbidMutation(db, {
    schema,
    table: 'events',
    functionName: 'forbid_event_mutation',
    what: 'events are append-only',
  });

  await createOutboxTable(db, schema);

  await createIdempotencyKeysTable(db, schema);
}

/** Responses of commands sent with an Idempotency-Key, keyed by route and key. */
export async function createIdempotencyKeysTable(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema
    .withSchema(schema)
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer', (c) => c.notNull())
    .addColumn('response_body', 'jsonb', (c) => c.notNull())
    .addColumn('response_headers', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
}

/**
 * The outbox in the shape Debezium's Outbox Event Router reads. Every service that sends
 * anything (events, commands, replies) has one in its own schema, relayed by its own connector.
 */
export async function createOutboxTable(db: Kysely<unknown>, schema: string): Promise<void> {
  const s = db.schema.withSchema(schema);
  await s
    .createTable('outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('aggregatetype', 'text', (c) => c.notNull())
    .addColumn('aggregateid', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'bytea', (c) => c.notNull())
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('aggregate_version', 'integer', (c) => c.notNull())
    .addColumn('correlation_id', 'text', (c) => c.notNull())
    .addColumn('causation_id', 'text')
    .addColumn('traceparent', 'text')
    .addColumn('actor', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Housekeeping deletes relayed rows by age.
  await s.createIndex('outbox_created_at').on('outbox').column('created_at').execute();
}

/**
 * The `actor` column (relayed as the `actor` header) for outboxes made before it existed:
 * the user on whose behalf a message was sent. A no-op where the table has it already.
 */
export async function addOutboxActorColumn(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema
    .withSchema(schema)
    .alterTable('outbox')
    .addColumn('actor', 'text', (c) => c.ifNotExists())
    .execute();
}

export async function dropOutboxActorColumn(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema.withSchema(schema).alterTable('outbox').dropColumn('actor').execute();
}

export async function dropEventStoreTables(db: Kysely<unknown>, schema: string): Promise<void> {
  const s = db.schema.withSchema(schema);
  await s.dropTable('idempotency_keys').ifExists().execute();
  await s.dropTable('outbox').ifExists().execute();
  await s.dropTable('events').ifExists().execute();
  await sql`DROP FUNCTION IF EXISTS ${sql.id(schema, 'forbid_event_mutation')}()`.execute(db);
}

/**
 * A one-row table that Debezium's heartbeat.action.query updates. It is in the relay's
 * publication, so even while the outbox is idle the connector sees a change now and
 * then and can confirm its position: the replication slot advances and WAL is freed.
 */
export async function createRelayHeartbeatTable(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema
    .withSchema(schema)
    .createTable('debezium_heartbeat')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('beat_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function dropRelayHeartbeatTable(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema.withSchema(schema).dropTable('debezium_heartbeat').ifExists().execute();
}
