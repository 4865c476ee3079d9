import { sql, type Kysely } from 'kysely';
import { infrastructureConfig } from '../services/shared/service/infrastructure';
import { createDatabase } from '../services/shared/db/database';
import { serviceConnectionString } from '../services/shared/db/service-role';
import { migrateAllToLatest } from './migrator';
import { messageOf } from '../services/shared/errors/message-of';

/** Each role's rights, tried by signing in as it: what it may do works, the rest is refused. */
const config = infrastructureConfig();
const open: Kysely<unknown>[] = [];
const as = (service: string) => {
  const db = createDatabase<unknown>({
    connectionString: serviceConnectionString(service, config),
    maxConnections: 1,
  });
  open.push(db);
  return db;
};
const run = (db: Kysely<unknown>, statement: string) =>
  sql
    .raw(statement)
    .execute(db)
    .then(
      () => 'ok',
      (error: unknown) => messageOf(error),
    );

beforeAll(async () => {
  const owner = createDatabase<unknown>({ connectionString: config.DATABASE_URL, maxConnections: 1 });
  await migrateAllToLatest(owner);
  await owner.destroy();
});

afterAll(async () => {
  await Promise.all(open.map((db) => db.destroy()));
});

it('property reads and appends its events, never changes them, and reads the key store only', async () => {
  const db = as('property');
  expect(await run(db, 'SELECT count(*) FROM property.events')).toBe('ok');
  expect(await run(db, 'DELETE FROM property.outbox WHERE false')).toBe('ok');
  expect(await run(db, 'UPDATE property.snapshots SET state = state WHERE false')).toBe('ok');
  expect(await run(db, 'SELECT count(*) FROM keystore.data_keys')).toBe('ok');
  for (const refused of [
    'UPDATE property.events SET stream_id = stream_id WHERE false',
    'DELETE FROM property.events WHERE false',
    'TRUNCATE property.events',
    'DELETE FROM keystore.data_keys WHERE false',
    'SELECT count(*) FROM property.kysely_migration',
  ]) {
    expect(await run(db, refused)).toMatch(/^permission denied for table /);
  }
  // The append-only trigger is the table owner's: no service can switch it off.
  expect(await run(db, 'ALTER TABLE property.events DISABLE TRIGGER ALL')).toMatch(
    /must be owner of table events/,
  );
  expect(await run(db, 'CREATE TABLE property.sneaky (id int)')).toMatch(
    /permission denied for schema property/,
  );
});

it("no service reaches another's schema", async () => {
  expect(await run(as('payment'), 'SELECT count(*) FROM property.events')).toMatch(
    /permission denied for schema property/,
  );
  expect(await run(as('transaction'), 'SELECT count(*) FROM payment.accounts')).toMatch(
    /permission denied for schema payment/,
  );
  expect(await run(as('search'), 'SELECT count(*) FROM people.events')).toMatch(
    /permission denied for schema people/,
  );
  expect(await run(as('search'), 'SELECT count(*) FROM keystore.data_keys')).toBe('ok');
  expect(await run(as('people'), 'DELETE FROM keystore.data_keys WHERE false')).toBe('ok');
});

it('the relay replicates and reads the outboxes only; the console counts them', async () => {
  const relay = as('relay');
  const attributes = await sql<{ rolreplication: boolean; rolsuper: boolean }>`
    SELECT rolreplication, rolsuper FROM pg_roles WHERE rolname = current_user
  `.execute(relay);
  expect(attributes.rows).toEqual([{ rolreplication: true, rolsuper: false }]);
  expect(await run(relay, 'SELECT count(*) FROM property.outbox')).toBe('ok');
  expect(await run(relay, 'SELECT count(*) FROM payment.outbox')).toBe('ok');
  expect(await run(relay, 'UPDATE relay.debezium_heartbeat SET beat_at = now() WHERE false')).toBe('ok');
  expect(await run(relay, 'SELECT count(*) FROM property.events')).toMatch(
    /^permission denied for table events/,
  );
  expect(await run(relay, 'DELETE FROM property.outbox WHERE false')).toMatch(
    /^permission denied for table outbox/,
  );
  const console = as('console');
  expect(await run(console, 'SELECT count(*) FROM title.outbox')).toBe('ok');
  expect(await run(console, 'SELECT count(*) FROM title.titles')).toMatch(
    /^permission denied for table titles/,
  );
});
