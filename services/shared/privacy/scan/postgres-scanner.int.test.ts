import { randomUUID } from 'node:crypto';
import avro from 'avsc';
import { sql, type Kysely } from 'kysely';
import { infrastructureConfig } from '../../service/infrastructure';
import { createDatabase } from '../../db/database';
import { ErasureMatcher } from '../erasure-fingerprint';
import { describeFinding } from './finding';
import { scannableTables, scanTables } from './postgres-scanner';
import { ValueProbe, type WireFormatDecoder } from './value-probe';

const schema = `privacy_scan_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const email = `planted.${randomUUID().slice(0, 8)}@example.org`;
const phone = '+44 20 7946 0' + String(Math.floor(Math.random() * 900) + 100);
const matcher = ErasureMatcher.forPlainValues([
  { field: 'email', kind: 'email', value: email },
  { field: 'phone', kind: 'phone', value: phone },
]);

const avroType = avro.Type.forSchema({
  type: 'record',
  name: 'Contact',
  fields: [{ name: 'phone', type: 'string' }],
});
const decoder: WireFormatDecoder = async (bytes) => avroType.fromBuffer(bytes.subarray(5));
const wire = (record: object) => Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), avroType.toBuffer(record)]);

let db: Kysely<unknown>;

beforeAll(async () => {
  db = createDatabase<unknown>({ connectionString: infrastructureConfig().DATABASE_URL, maxConnections: 2 });
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(db);
  await sql`CREATE TABLE ${sql.id(schema, 'events')} (position bigint PRIMARY KEY, note text, payload jsonb, avro bytea, n int)`.execute(
    db,
  );
  await sql`CREATE TABLE ${sql.id(schema, 'loose')} (label varchar(200))`.execute(db);
  const rows = Array.from({ length: 1_200 }, (_, i) => ({
    position: i + 1,
    note: `row ${i}`,
    payload: JSON.stringify({ city: 'Leeds', n: i }),
    avro: wire({ phone: '000' }),
  }));
  rows[700] = {
    ...rows[700]!,
    payload: JSON.stringify({ agent: { contact: `Mail ${email.toUpperCase()}` } }),
  };
  rows[1_100] = { ...rows[1_100]!, avro: wire({ phone }) };
  for (let i = 0; i < rows.length; i += 400) {
    await (db as Kysely<Record<string, Record<string, unknown>>>)
      .withSchema(schema)
      .insertInto('events')
      .values(rows.slice(i, i + 400))
      .execute();
  }
  await sql`INSERT INTO ${sql.id(schema, 'loose')} (label) VALUES ('nothing'), (${`to ${email}`})`.execute(
    db,
  );
});

afterAll(async () => {
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
  await db.destroy();
});

describe('Postgres scanner', () => {
  it('lists the tables and their text, json and bytea columns, never the key store', async () => {
    const tables = await scannableTables(db);
    expect(tables.filter((t) => t.schema === schema)).toEqual([
      { schema, table: 'events', columns: ['note', 'payload', 'avro'] },
      { schema, table: 'loose', columns: ['label'] },
    ]);
    expect(tables.some((t) => t.schema === 'keystore')).toBe(false);
    expect(tables.some((t) => t.schema === 'pg_catalog')).toBe(false);
  });

  it('finds planted values in jsonb, in Avro bytes and in a table without a primary key', async () => {
    const tables = (await scannableTables(db)).filter((t) => t.schema === schema);
    const summary = await scanTables(db, tables, new ValueProbe(matcher, decoder));
    expect(summary.scanned).toBe(1_202);
    expect(summary.findings.map(describeFinding).sort()).toEqual([
      `postgres ${schema}.events row position=1101 avro.(avro).phone: phone (phone)`,
      `postgres ${schema}.events row position=1101 avro: phone (phone)`,
      `postgres ${schema}.events row position=701 payload.agent.contact: email (email)`,
      `postgres ${schema}.loose row ctid=(0,2) label: email (email)`,
    ]);
  });

  it('reports a table dropped since it was listed as unread', async () => {
    const summary = await scanTables(
      db,
      [{ schema, table: 'gone', columns: ['x'] }],
      new ValueProbe(matcher),
    );
    expect(summary.unread).toEqual([expect.stringContaining(`postgres ${schema}.gone`)]);
  });
});
