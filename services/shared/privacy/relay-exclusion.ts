import { KEYSTORE_SCHEMA } from './keystore-tables';

/** The key store's tables (with the migrator's bookkeeping), as connectors would name them. */
export const KEYSTORE_TABLES = [
  'data_keys',
  'erasure_evidence',
  'kysely_migration',
  'kysely_migration_lock',
].map((table) => `${KEYSTORE_SCHEMA}.${table}`);

const DEBEZIUM_POSTGRES = 'io.debezium.connector.postgresql.PostgresConnector';

/**
 * Why a connector config could relay the key store, or [] when it cannot: the keys must
 * never leave Postgres. Debezium captures every table when a Postgres connector names no
 * include list, and matches each list entry as a whole-name regular expression
 * (case-insensitive) against `schema` or `schema.table`; a publication of all tables
 * would also stream the key store's changes to the worker.
 */
export function keystoreExposure(
  connector: { name: string; config: Record<string, string> },
  keystoreTables: readonly string[] = KEYSTORE_TABLES,
): string[] {
  const { config, name } = connector;
  if (config['connector.class'] !== DEBEZIUM_POSTGRES) return [];
  const problems: string[] = [];
  const tables = entries(config['table.include.list']);
  const schemas = entries(config['schema.include.list']);
  if (tables.length === 0 && schemas.length === 0) {
    problems.push(`${name}: no table.include.list nor schema.include.list, so it captures every table`);
  }
  for (const pattern of schemas) {
    if (wholeMatch(pattern, KEYSTORE_SCHEMA))
      problems.push(`${name}: schema.include.list entry ${pattern} matches ${KEYSTORE_SCHEMA}`);
  }
  for (const pattern of tables) {
    for (const table of keystoreTables) {
      if (wholeMatch(pattern, table))
        problems.push(`${name}: table.include.list entry ${pattern} matches ${table}`);
    }
  }
  if (config['publication.autocreate.mode'] === 'all_tables') {
    problems.push(`${name}: publication.autocreate.mode=all_tables publishes the key store's tables too`);
  }
  return problems;
}

function entries(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

function wholeMatch(pattern: string, name: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 'i').test(name);
  } catch {
    // A pattern JavaScript cannot read might still match in Java: assume the worst.
    return true;
  }
}
