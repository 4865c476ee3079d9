import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import { CompiledOnce } from './compiled-once';

interface Tables {
  events: { stream_id: string; version: number; payload: string };
}

/** A Postgres dialect whose connection records what it is asked to run instead of running it. */
function recordingDatabase(): { db: Kysely<Tables>; sent: CompiledQuery[] } {
  const sent: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    executeQuery: async <R>(query: CompiledQuery) => {
      sent.push(query);
      return { rows: [] as R[] };
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => connection,
    beginTransaction: async () => undefined,
    commitTransaction: async () => undefined,
    rollbackTransaction: async () => undefined,
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
  };
  const db = new Kysely<Tables>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, sent };
}

const tail = (db: Kysely<Tables>, { streamId, after }: { streamId: string; after: number }) =>
  db
    .selectFrom('events')
    .select(['version', 'payload'])
    .where('stream_id', '=', streamId)
    .where('version', '>', after)
    .where('payload', '<>', 'constant')
    .orderBy('version');

describe('CompiledOnce', () => {
  it('runs what the builder compiles with the same values, building the query only once per database', async () => {
    const { db, sent } = recordingDatabase();
    const build = jest.fn(tail);
    const query = new CompiledOnce(build);

    await query.execute(db, { streamId: 'a', after: 3 });
    await query.execute(db, { streamId: 'b', after: 7 });

    expect(build).toHaveBeenCalledTimes(1);
    const expected = [tail(db, { streamId: 'a', after: 3 }), tail(db, { streamId: 'b', after: 7 })].map((q) =>
      q.compile(),
    );
    expect(sent.map((q) => [q.sql, q.parameters])).toEqual(expected.map((q) => [q.sql, q.parameters]));
    expect(sent[1]?.parameters).toEqual(['b', 7, 'constant']);
  });

  it('compiles for each database on its own, so plugins such as the schema apply', async () => {
    const { db, sent } = recordingDatabase();
    const query = new CompiledOnce(tail);
    await query.execute(db, { streamId: 'a', after: 0 });
    await query.execute(db.withSchema('property'), { streamId: 'a', after: 0 });
    expect(sent[0]?.sql).toContain('from "events"');
    expect(sent[1]?.sql).toContain('from "property"."events"');
  });

  it('builds the query as usual inside a transaction', async () => {
    const { db, sent } = recordingDatabase();
    const build = jest.fn(tail);
    const query = new CompiledOnce(build);
    await db.transaction().execute(async (trx) => {
      await query.execute(trx, { streamId: 'a', after: 1 });
      await query.execute(trx, { streamId: 'b', after: 2 });
    });
    expect(build).toHaveBeenCalledTimes(2);
    expect(sent.map((q) => q.parameters)).toEqual([
      ['a', 1, 'constant'],
      ['b', 2, 'constant'],
    ]);
  });

  it('refuses a builder that computes with a parameter, which would fix the first value into the SQL', async () => {
    const { db } = recordingDatabase();
    const asText = new CompiledOnce((kysely: Kysely<Tables>, { after }: { after: number }) =>
      kysely.selectFrom('events').selectAll().where('payload', '=', `after ${after}`),
    );
    await expect(asText.execute(db, { after: 1 })).rejects.toThrow(/parameter "after"/);
    const asJson = new CompiledOnce((kysely: Kysely<Tables>, { after }: { after: number }) =>
      kysely.selectFrom('events').selectAll().where('payload', '=', JSON.stringify({ after })),
    );
    await expect(asJson.execute(db, { after: 1 })).rejects.toThrow(/parameter "after"/);
  });
});
