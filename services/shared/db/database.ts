import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types } from 'pg';

// int8 (global positions, counters) arrives as a string unless told otherwise; BigInt keeps it exact.
types.setTypeParser(types.builtins.INT8, (value) => BigInt(value));

export interface DatabaseOptions {
  connectionString: string;
  /** Pool size; a service's HTTP concurrency is bounded by it. */
  maxConnections?: number;
  applicationName?: string;
}

/** A kysely instance over a pg pool. `destroy()` closes the pool. */
export function createDatabase<DB>(options: DatabaseOptions): Kysely<DB> {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 20,
    application_name: options.applicationName ?? 'deedstream',
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
