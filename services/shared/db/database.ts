import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types } from 'pg';
import type { Logger } from '../observability/logger';
import { preparingPool } from './prepared-statements';

// int8 (global positions, counters) arrives as a string unless told otherwise; BigInt keeps it exact.
types.setTypeParser(types.builtins.INT8, (value) => BigInt(value));

/** How long a database call may take before it fails instead of hanging. 0 disables one. */
export interface DatabaseTimeouts {
  /** Waiting for a connection (a pool slot or a new TCP connection): a down server fails fast. */
  connectMs: number;
  /** Server-side cap on one statement (`statement_timeout`). */
  statementMs: number;
  /** Server-side cap on a transaction that sits idle (`idle_in_transaction_session_timeout`). */
  idleInTransactionMs: number;
  /** An idle pooled connection is closed after this long. */
  idleMs: number;
}

export const defaultDatabaseTimeouts: DatabaseTimeouts = {
  connectMs: 3_000,
  statementMs: 15_000,
  idleInTransactionMs: 30_000,
  idleMs: 30_000,
};

export interface DatabaseOptions {
  connectionString: string;
  /** Pool size; a service's HTTP concurrency is bounded by it. */
  maxConnections?: number;
  applicationName?: string;
  timeouts?: Partial<DatabaseTimeouts>;
  /** Where lost connections are reported; without one they are ignored (CLIs, tests). */
  logger?: Logger;
}

/**
 * A kysely instance over a pg pool that survives a database restart: a connection the
 * server drops (57P01 on a fast shutdown, a network reset) is reported and discarded,
 * never thrown as an uncaught 'error' event, and every wait is bounded so callers get an
 * error they can answer with 503 instead of a hang. `destroy()` closes the pool.
 */
export function createDatabase<DB>(options: DatabaseOptions): Kysely<DB> {
  const timeouts = { ...defaultDatabaseTimeouts, ...options.timeouts };
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 20,
    application_name: options.applicationName ?? 'deedstream',
    connectionTimeoutMillis: timeouts.connectMs,
    idleTimeoutMillis: timeouts.idleMs,
    statement_timeout: timeouts.statementMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    keepAlive: true,
  });
  const reportLost = (error: Error) =>
    options.logger?.warn(
      { code: (error as { code?: string }).code, reason: error.message },
      'database connection lost; it is discarded and a new one is opened on demand',
    );
  // A client in use emits a lost connection on itself, where pg-pool listens only while
  // it is idle; without this listener a server restart would crash the process. An idle
  // client's error is also re-emitted by the pool, which needs a listener of its own (the
  // client's listener has already reported it).
  pool.on('connect', (client) => client.on('error', reportLost));
  pool.on('error', () => undefined);
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
}
