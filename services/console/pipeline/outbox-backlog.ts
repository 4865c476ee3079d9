import { sql, type Kysely } from 'kysely';

/** What a relay's outboxes hold, against what its connector confirmed. */
export interface OutboxBacklog {
  /** Rows retained in its outboxes (relayed or not; see OUTBOX_RETENTION_HOURS). */
  rows: number;
  /** Rows committed after the connector's last committed offset: not confirmed on Kafka yet. */
  backlog: number;
  /** Commit time of the last transaction the connector confirmed (its offset), ISO 8601. */
  relayedUpTo: string | null;
}

/**
 * Counts the rows of the `<schema>.outbox` tables, and those committed after `relayedUpTo`
 * (all of them if the connector never confirmed one). The schemas are table names in SQL:
 * the caller passes checked identifiers only.
 */
export async function outboxBacklog(
  db: Kysely<unknown>,
  schemas: readonly string[],
  relayedUpTo: Date | undefined,
): Promise<OutboxBacklog> {
  const since = relayedUpTo ?? new Date(0);
  const counts = await Promise.all(
    schemas.map(async (schema) => {
      const result = await sql<{ rows: string; backlog: string }>`
          SELECT count(*)::text AS rows, count(*) FILTER (WHERE created_at > ${since})::text AS backlog
          FROM ${sql.table(`${schema}.outbox`)}`.execute(db);
      return { rows: Number(result.rows[0]?.rows ?? 0), backlog: Number(result.rows[0]?.backlog ?? 0) };
    }),
  );
  return {
    rows: counts.reduce((sum, c) => sum + c.rows, 0),
    backlog: counts.reduce((sum, c) => sum + c.backlog, 0),
    relayedUpTo: relayedUpTo?.toISOString() ?? null,
  };
}
