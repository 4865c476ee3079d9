import { sql, type Kysely } from 'kysely';
import { KEYSTORE_SCHEMA } from '../keystore-tables';
import type { Finding, ScanSummary } from './finding';
import type { ValueProbe } from './value-probe';
import { messageOf } from '../../errors/message-of';

/** A table and the columns that can hold text: text and character types, json, jsonb, bytea. */
export interface TableTarget {
  schema: string;
  table: string;
  columns: string[];
}

const TEXT_TYPES = ['text', 'character varying', 'character', 'json', 'jsonb', 'bytea'];
/** System schemas, and the key store (ciphertext keys and keyed hashes, never plaintext). */
const NEVER_SCANNED = ['pg_catalog', 'information_schema', 'pg_toast', KEYSTORE_SCHEMA];

/** Rows fetched per round trip of the cursor. */
const FETCH_ROWS = 500;

/** Every base table of the database with columns that can hold text, except system schemas and the key store. */
export async function scannableTables(
  db: Kysely<unknown>,
  options: { excludeSchemas?: readonly string[] } = {},
): Promise<TableTarget[]> {
  const excluded = [...NEVER_SCANNED, ...(options.excludeSchemas ?? [])];
  const { rows } = await sql<{ schema: string; table: string; column: string }>`
    SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE t.table_type = 'BASE TABLE'
      AND c.data_type IN (${sql.join(TEXT_TYPES)})
      AND c.table_schema NOT IN (${sql.join(excluded)})
      AND c.table_schema NOT LIKE 'pg_temp%'
    ORDER BY c.table_schema, c.table_name, c.ordinal_position`.execute(db);
  const tables = new Map<string, TableTarget>();
  for (const row of rows) {
    const key = `${row.schema}.${row.table}`;
    const target = tables.get(key) ?? { schema: row.schema, table: row.table, columns: [] };
    target.columns.push(row.column);
    tables.set(key, target);
  }
  return [...tables.values()];
}

/**
 * Reads every row of a table through a server-side cursor (memory stays flat however big
 * the table) and probes the given columns. Each finding names the row by its primary key
 * (or its physical position, ctid, when it has none) and the column with the JSON path.
 */
export async function scanTable(
  db: Kysely<unknown>,
  target: TableTarget,
  probe: ValueProbe,
): Promise<ScanSummary> {
  const { schema, table, columns } = target;
  const name = `${schema}.${table}`;
  const keys = await primaryKey(db, schema, table);
  const rowKey = keys.length > 0 ? keys : ['ctid'];
  const findings: Finding[] = [];
  let scanned = 0;
  await db.transaction().execute(async (trx) => {
    const keyColumns = rowKey.map((k, i) => sql`${sql.ref(k)}::text AS ${sql.ref(`__key${i}`)}`);
    const valueColumns = columns.map((c, i) => sql`${sql.ref(c)} AS ${sql.ref(`__col${i}`)}`);
    await sql`DECLARE privacy_scan NO SCROLL CURSOR FOR
      SELECT ${sql.join([...keyColumns, ...valueColumns])} FROM ${sql.table(name)}`.execute(trx);
    for (;;) {
      const { rows } = await sql<
        Record<string, unknown>
      >`FETCH ${sql.lit(FETCH_ROWS)} FROM privacy_scan`.execute(trx);
      for (const row of rows) {
        const id = rowKey.map((k, i) => `${k}=${String(row[`__key${i}`])}`).join(' ');
        const where = `postgres ${name} row ${id}`;
        for (const [i, column] of columns.entries()) {
          const value = row[`__col${i}`];
          if (value !== null && value !== undefined)
            findings.push(...(await probe.probe(value, where, column)));
        }
      }
      scanned += rows.length;
      if (rows.length < FETCH_ROWS) break;
    }
    await sql`CLOSE privacy_scan`.execute(trx);
  });
  return { findings, scanned, unread: [] };
}

/** Scans several tables; a table dropped since it was listed is reported as unread, not as an error. */
export async function scanTables(
  db: Kysely<unknown>,
  targets: readonly TableTarget[],
  probe: ValueProbe,
): Promise<ScanSummary> {
  const summary: ScanSummary = { findings: [], scanned: 0, unread: [] };
  for (const target of targets) {
    try {
      const result = await scanTable(db, target, probe);
      summary.findings.push(...result.findings);
      summary.scanned += result.scanned;
    } catch (error) {
      // 42P01 undefined_table, 42703 undefined_column: it changed while the scan ran.
      const code = (error as { code?: string }).code;
      if (code !== '42P01' && code !== '42703') throw error;
      summary.unread.push(`postgres ${target.schema}.${target.table}: ${messageOf(error)}`);
    }
  }
  return summary;
}

async function primaryKey(db: Kysely<unknown>, schema: string, table: string): Promise<string[]> {
  const { rows } = await sql<{ column: string }>`
    SELECT a.attname AS column
    FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
    WHERE i.indrelid = ${`${quoteIdent(schema)}.${quoteIdent(table)}`}::regclass AND i.indisprimary
    ORDER BY array_position(i.indkey::int2[], a.attnum)`.execute(db);
  return rows.map((r) => r.column);
}

/** A double-quoted identifier, for the regclass cast of a schema-qualified name passed as a parameter. */
function quoteIdent(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
