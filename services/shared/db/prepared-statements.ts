import { createHash } from 'node:crypto';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type { Pool, PoolClient, Submittable } from 'pg';

/**
 * Which SQL runs as a named (prepared) statement: Postgres then parses and plans it once per
 * connection instead of on every call. On a property command's load and append, and on the
 * saga's records of property events, parse and plan took more Postgres CPU than running
 * them. A text is prepared once it has run twice (a query the code builds the same way each
 * time), up to MAX_PREPARED texts per process, so each connection keeps a bounded set;
 * CompiledOnce registers its query at once. A text that selects or returns `*` never is: a
 * migration adding a column under a running service would change a prepared statement's
 * result type, which Postgres refuses.
 */
const MAX_PREPARED = 128;
/** Texts counted before they ran twice; beyond this, new texts are not counted (nor prepared). */
const MAX_COUNTED = 2_048;

const statementNames = new Map<string, string>();
const timesSeen = new Map<string, number>();

const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;
const STAR = /\.\*|\b(select|returning)\s+\*/i;

const nameOf = (sql: string) => `ds_${createHash('sha256').update(sql).digest('hex').slice(0, 20)}`;

/** Marks `sql` to be prepared on every connection that runs it, from its first run. */
export function prepareOnEveryConnection(sql: string): void {
  if (
    !statementNames.has(sql) &&
    statementNames.size < MAX_PREPARED &&
    PREPARABLE.test(sql) &&
    !STAR.test(sql)
  )
    statementNames.set(sql, nameOf(sql));
}

/** The statement name to run `sql` under now, or undefined to run it unnamed (see above). */
export function statementNameFor(sql: string): string | undefined {
  const known = statementNames.get(sql);
  if (known) return known;
  if (statementNames.size >= MAX_PREPARED || !PREPARABLE.test(sql) || STAR.test(sql)) return undefined;
  const seen = (timesSeen.get(sql) ?? 0) + 1;
  if (seen < 2) {
    if (timesSeen.size < MAX_COUNTED) timesSeen.set(sql, seen);
    return undefined;
  }
  timesSeen.delete(sql);
  const name = nameOf(sql);
  statementNames.set(sql, name);
  return name;
}

/** A pooled client that runs repeated SQL as a named statement (pg prepares it on first use). */
class PreparingClient implements PostgresPoolClient {
  constructor(private readonly client: PoolClient) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // A cursor (kysely's streaming) is pg's Submittable: pg runs it and hands it back.
    if (typeof sqlOrCursor !== 'string')
      return this.client.query(sqlOrCursor as PostgresCursor<R> & Submittable);
    const name = statementNameFor(sqlOrCursor);
    const values = [...parameters];
    const result = name
      ? this.client.query({ name, text: sqlOrCursor, values })
      : this.client.query(sqlOrCursor, values);
    // pg's result carries kysely's fields (command, rowCount, rows); its rows are R by the query.
    return result as Promise<unknown> as Promise<PostgresQueryResult<R>>;
  }

  release(destroy?: boolean): void {
    this.client.release(destroy);
  }
}

/**
 * A pg pool as kysely's dialect uses it, whose clients run repeated SQL as named
 * statements (pg prepares a name on a connection the first time it runs it there).
 */
export function preparingPool(pool: Pool): PostgresPool {
  const clients = new WeakMap<PoolClient, PreparingClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapped = clients.get(client);
      if (!wrapped) {
        wrapped = new PreparingClient(client);
        clients.set(client, wrapped);
      }
      return wrapped;
    },
    end: () => pool.end(),
  };
}
