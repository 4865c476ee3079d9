import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import { prepareOnEveryConnection } from './prepared-statements';

/** Stands for one named parameter while the query is compiled; each run puts its value there. */
class Parameter {
  constructor(readonly name: string) {}

  private misused(): never {
    throw new Error(
      `parameter "${this.name}" of a compiled-once query was computed with while the query was built; hand it to the builder as it is`,
    );
  }

  toJSON(): never {
    return this.misused();
  }

  [Symbol.toPrimitive](): never {
    return this.misused();
  }
}

/**
 * A hot-path query written with kysely's typed builder, built and compiled once per
 * database (and its plugins, e.g. the schema) instead of on every call: each run sends the
 * same SQL text with its own parameter values, as a prepared statement (see
 * prepared-statements.ts), so Postgres parses and plans it once per connection. It must
 * name its columns (no `select *`). The builder gets placeholders for `params`,
 * so it must hand each one to kysely as it is and must not let the query's shape depend on
 * the values (no conditions on them, no `in` lists); computing with one throws. Anything
 * else the builder closes over is fixed at the first compile.
 *
 * A transaction is a new Kysely instance each time: there the query is built as usual.
 */
export class CompiledOnce<DB, P extends object, R> {
  private readonly compiled = new WeakMap<Kysely<DB>, CompiledQuery<R>>();

  constructor(private readonly build: (db: Kysely<DB>, params: P) => Compilable<R>) {}

  async execute(db: Kysely<DB>, params: P): Promise<QueryResult<R>> {
    if (db.isTransaction) return db.executeQuery(this.build(db, params));
    let compiled = this.compiled.get(db);
    if (!compiled) {
      compiled = this.compile(db);
      this.compiled.set(db, compiled);
    }
    const parameters = compiled.parameters.map((value) =>
      value instanceof Parameter ? params[value.name as keyof P] : value,
    );
    return db.executeQuery({ ...compiled, parameters });
  }

  private compile(db: Kysely<DB>): CompiledQuery<R> {
    const placeholders = new Proxy(
      {},
      { get: (_target, name) => (typeof name === 'string' ? new Parameter(name) : undefined) },
    );
    // The placeholders stand in for P's values while the builder runs (see the class comment).
    const compiled = this.build(db, placeholders as P).compile();
    // Its text never varies: Postgres parses and plans it once per connection.
    prepareOnEveryConnection(compiled.sql);
    return compiled;
  }
}
