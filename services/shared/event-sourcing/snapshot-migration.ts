import { sql, type Kysely } from 'kysely';

/**
 * The `snapshots` table of an event-sourced service: one row per stream, its latest
 * snapshot. Never relayed (the connectors capture only the outbox) and safe to empty at
 * any time: loads fall back to the events and write snapshots again.
 */
export async function createSnapshotsTable(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema
    .withSchema(schema)
    .createTable('snapshots')
    .addColumn('stream_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('format', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function dropSnapshotsTable(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema.withSchema(schema).dropTable('snapshots').ifExists().execute();
}
