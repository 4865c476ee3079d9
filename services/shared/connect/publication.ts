import { sql, type Kysely } from 'kysely';

/**
 * Creates (or brings up to date) the Postgres publication a Debezium connector reads, with
 * exactly the tables of its `table.include.list`, as the schemas' owner. Debezium could
 * create it itself, but adding a table to a publication needs ownership of the table: the
 * relay's own role would then have to own every outbox. With the publication made here,
 * the relay needs only REPLICATION and SELECT (`publication.autocreate.mode` disabled).
 */
export async function ensurePublication(db: Kysely<unknown>, config: Record<string, string>): Promise<void> {
  const name = config['publication.name'];
  const tables = (config['table.include.list'] ?? '')
    .split(',')
    .map((table) => table.trim())
    .filter(Boolean)
    .sort();
  if (!name || tables.length === 0) return;
  const list = sql.join(
    tables.map((qualified) => {
      const [schema = '', table = ''] = qualified.split('.');
      return sql.id(schema, table);
    }),
  );
  const published = await sql<{ name: string }>`
    SELECT schemaname || '.' || tablename AS name FROM pg_publication_tables WHERE pubname = ${name}
  `.execute(db);
  const exists = await sql`SELECT 1 FROM pg_publication WHERE pubname = ${name}`.execute(db);
  if (exists.rows.length === 0) {
    await sql`CREATE PUBLICATION ${sql.id(name)} FOR TABLE ${list}`.execute(db);
    return;
  }
  const current = published.rows.map((row) => row.name).sort();
  if (current.join(',') !== tables.join(',')) {
    await sql`ALTER PUBLICATION ${sql.id(name)} SET TABLE ${list}`.execute(db);
  }
}
