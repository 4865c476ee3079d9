import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { createDatabase } from '../db/database';
import { dropServiceSchema } from '../messaging/inbox';
import { infrastructureConfig } from '../service/infrastructure';
import { createEventChain, verifyEventChain } from './event-chain';
import { createEventStoreTables } from './migration';
import type { EventStoreTables } from './tables';

// A schema of this file's own, with an event store as every service's first migration makes it.
const schema = `it_chain_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
/** The owner, who can lift the append-only trigger as a superuser could. */
const owner = createDatabase<unknown>({
  connectionString: infrastructureConfig().DATABASE_URL,
  maxConnections: 2,
});
// The columns a writer sets are the same before and after the chain (chain_hash is never written).
const db = owner.withSchema(schema) as unknown as Kysely<EventStoreTables>;

const row = (streamId: string, version: number, data: object) => ({
  event_id: randomUUID(),
  stream_id: streamId,
  stream_type: 'Thing',
  version,
  event_type: version === 1 ? 'ThingMade' : 'ThingChanged',
  schema_version: 1,
  payload: JSON.stringify(data),
  metadata: JSON.stringify({ correlationId: 'c', actor: 'someone' }),
});

/** What a superuser can do: switch the append-only trigger off, change the row, switch it on. */
async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
  const events = sql.id(schema, 'events');
  await owner.transaction().execute(async (trx) => {
    await sql`ALTER TABLE ${events} DISABLE TRIGGER events_append_only`.execute(trx);
    await statement.execute(trx);
    await sql`ALTER TABLE ${events} ENABLE TRIGGER events_append_only`.execute(trx);
  });
}

beforeAll(async () => {
  await createEventStoreTables(owner, schema);
  // One event before the chain exists: the migration must link it too.
  await db
    .insertInto('events')
    .values(row('a', 1, { n: 1 }))
    .execute();
  await createEventChain(owner, schema);
  await db
    .insertInto('events')
    .values(row('a', 2, { n: 2 }))
    .execute();
  // Several events of one stream in one statement (the store appends a command's events so,
  // inside a WITH; the e2e tests verify the services' real stores after such appends).
  await db
    .insertInto('events')
    .values([row('b', 1, { n: 1 }), row('b', 2, { n: 2 }), row('b', 3, { n: 3.5 })])
    .execute();
  await db
    .insertInto('events')
    .values([row('c', 1, { nested: { z: 1, a: [1, 'x'] } }), row('c', 2, {})])
    .execute();
});

afterAll(async () => {
  await dropServiceSchema(owner, schema);
  await owner.destroy();
});

describe('the event hash chain', () => {
  it('links every event, those from before the chain and those appended in one statement alike', async () => {
    expect(await verifyEventChain(owner, schema)).toEqual({ events: 7, streams: 3, broken: [] });
    const hashes = await db
      .selectFrom('events')
      .select(['stream_id', 'version', 'chain_hash'])
      .orderBy('position')
      .execute();
    expect(new Set(hashes.map((h) => h.chain_hash.toString('hex'))).size).toBe(7);
    expect(hashes.every((h) => h.chain_hash.length === 32)).toBe(true);
  });

  it('names an event whose payload was edited behind the append-only trigger', async () => {
    await tamper(
      sql`UPDATE ${sql.id(schema, 'events')} SET payload = '{"n": 20}' WHERE stream_id = 'b' AND version = 2`,
    );
    const { broken } = await verifyEventChain(owner, schema);
    const edited = await db
      .selectFrom('events')
      .select(['event_id', 'position'])
      .where('stream_id', '=', 'b')
      .where('version', '=', 2)
      .executeTakeFirstOrThrow();
    expect(broken).toEqual([
      {
        streamId: 'b',
        version: 2,
        eventId: edited.event_id,
        position: BigInt(edited.position),
        reason: 'content-changed',
      },
    ]);
  });

  it('names the next event when the edited one was given a matching hash', async () => {
    // The tamperer recomputes b@2's link with the database's own function: b@3 no longer follows.
    await tamper(sql`
      UPDATE ${sql.id(schema, 'events')} e SET chain_hash = ${sql.id(schema, 'event_chain_link')}(
        (SELECT p.chain_hash FROM ${sql.id(schema, 'events')} p WHERE p.stream_id = 'b' AND p.version = 1),
        e.event_id, e.stream_id, e.stream_type, e.version, e.event_type, e.schema_version, e.payload, e.metadata, e.occurred_at)
      WHERE e.stream_id = 'b' AND e.version = 2`);
    const { broken } = await verifyEventChain(owner, schema);
    expect(broken.map((b) => [b.streamId, b.version, b.reason])).toEqual([['b', 3, 'content-changed']]);
  });

  it('names the event after one that was deleted, and the metadata and time are covered too', async () => {
    await tamper(sql`DELETE FROM ${sql.id(schema, 'events')} WHERE stream_id = 'c' AND version = 1`);
    await tamper(
      sql`UPDATE ${sql.id(schema, 'events')} SET occurred_at = occurred_at - interval '1 day' WHERE stream_id = 'a' AND version = 1`,
    );
    const { broken } = await verifyEventChain(owner, schema);
    expect(broken.map((b) => [b.streamId, b.version, b.reason])).toEqual([
      ['a', 1, 'content-changed'],
      ['b', 3, 'content-changed'],
      ['c', 2, 'missing-version'],
    ]);
  });
});
