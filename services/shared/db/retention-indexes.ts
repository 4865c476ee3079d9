import type { Kysely } from 'kysely';

/** Tables whose rows housekeeping deletes by age, and the column that holds the age. */
const ageColumn = { inbox: 'processed_at', idempotency_keys: 'created_at' } as const;

/**
 * Indexes housekeeping's age scans, so deleting expired inbox and idempotency rows reads
 * only the expired ones (the outbox has had its index since its first migration).
 */
export async function createRetentionIndexes(
  db: Kysely<unknown>,
  schema: string,
  tables: ReadonlyArray<keyof typeof ageColumn>,
): Promise<void> {
  for (const table of tables) {
    await db.schema
      .withSchema(schema)
      .createIndex(`${table}_${ageColumn[table]}`)
      .ifNotExists()
      .on(table)
      .column(ageColumn[table])
      .execute();
  }
}

export async function dropRetentionIndexes(
  db: Kysely<unknown>,
  schema: string,
  tables: ReadonlyArray<keyof typeof ageColumn>,
): Promise<void> {
  for (const table of tables) {
    await db.schema.withSchema(schema).dropIndex(`${table}_${ageColumn[table]}`).ifExists().execute();
  }
}
