import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { infrastructureConfig } from '../service/infrastructure';
import { createDatabase } from '../db/database';
import { startPropertyService, type PropertyHarness } from '../../../test/support/property-harness';
import { moneyFromMajor } from '../domain/money';
import { listedProperty } from '../../property/domain/property';
import { PostgresEventStore } from './postgres-event-store';
import { describeEventStoreContract } from '../../../test/support/event-store-contract';
import { Upcasters } from '../codec/upcasters';

let api: PropertyHarness;
/** The schemas' owner: it may alter tables and is still held by the append-only trigger. */
const owner = createDatabase<unknown>({
  connectionString: infrastructureConfig().DATABASE_URL,
  maxConnections: 1,
});
beforeAll(async () => {
  api = await startPropertyService();
});
afterAll(async () => {
  await api.close();
  await owner.destroy();
});

const context = { correlationId: 'event-store-test', causationId: null, traceparent: null, actor: 'test' };

const newProperty = (id = randomUUID()) =>
  listedProperty(
    id,
    {
      address: {
        street: 'Main St 1',
        city: 'Utrecht',
        postalCode: '3511',
        region: 'UT',
        country: 'NL',
        lat: 52.09,
        lon: 5.12,
      },
      price: moneyFromMajor(400000, 'EUR'),
      bedrooms: 2,
      bathrooms: 1,
      areaSqm: 80,
      propertyType: 'house',
      ownerId: 'seller-1',
    },
    new Date(),
  );

async function rowsFor(id: string) {
  const db = api.service.db;
  const events = await db
    .selectFrom('events')
    .select(['event_id', 'version'])
    .where('stream_id', '=', id)
    .orderBy('version')
    .execute();
  const outbox = await db
    .selectFrom('outbox')
    .select(['event_id', 'aggregate_version', 'payload'])
    .where('aggregateid', '=', id)
    .orderBy('aggregate_version')
    .execute();
  return { events, outbox };
}

describeEventStoreContract('PostgresEventStore', () => api.service.store);

describe('PostgresEventStore', () => {
  it('writes one outbox row per event, with the same event id, version and the Avro bytes', async () => {
    const property = newProperty();
    property.execute({ type: 'ChangePrice', price: moneyFromMajor(390000, 'EUR') });
    await api.service.repository.save(property, 0, context);
    const { events, outbox } = await rowsFor(property.id);
    expect(events.map((e) => e.version)).toEqual([1, 2]);
    expect(outbox.map((o) => [o.event_id, o.aggregate_version])).toEqual(
      events.map((e) => [e.event_id, e.version]),
    );
    for (const row of outbox) expect(row.payload[0]).toBe(0); // Confluent wire format magic byte
    const decoded = await api.service.codec.decode<{ newPrice: { amountMinor: number } }>(outbox[1]!.payload);
    expect(decoded.newPrice.amountMinor).toBe(39_000_000);
  });

  it('writes no event when the outbox insert of the same append fails', async () => {
    const id = randomUUID();
    // Inject a failure into the second insert of the append, for this aggregate only.
    const constraint = `reject_${id.replace(/-/g, '')}`;
    await sql`ALTER TABLE property.outbox ADD CONSTRAINT ${sql.id(constraint)} CHECK (aggregateid <> ${sql.lit(id)}) NOT VALID`.execute(
      owner,
    );
    try {
      await expect(api.service.repository.save(newProperty(id), 0, context)).rejects.toThrow(
        /check constraint/,
      );
    } finally {
      await sql`ALTER TABLE property.outbox DROP CONSTRAINT ${sql.id(constraint)}`.execute(owner);
    }
    expect(await rowsFor(id)).toEqual({ events: [], outbox: [] });
    // The same command succeeds once the fault is gone: nothing half-written blocks it.
    await api.service.repository.save(newProperty(id), 0, context);
    const after = await rowsFor(id);
    expect(after.events).toHaveLength(1);
    expect(after.outbox).toHaveLength(1);
  });

  it('keeps history append-only: the service may not UPDATE or DELETE events, and the owner is stopped by the trigger', async () => {
    const property = newProperty();
    await api.service.repository.save(property, 0, context);
    // The service signs in as its own role, which may only read and append.
    await expect(
      api.service.db
        .updateTable('events')
        .set({ event_type: 'Tampered' })
        .where('stream_id', '=', property.id)
        .execute(),
    ).rejects.toThrow(/permission denied for table events/);
    await expect(
      api.service.db.deleteFrom('events').where('stream_id', '=', property.id).execute(),
    ).rejects.toThrow(/permission denied for table events/);
    // Even the schemas' owner, who has every right on the table, cannot change history.
    await expect(
      sql`UPDATE property.events SET event_type = 'Tampered' WHERE stream_id = ${property.id}`.execute(owner),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`DELETE FROM property.events WHERE stream_id = ${property.id}`.execute(owner),
    ).rejects.toThrow(/append-only/);
  });

  it('upcasts old schema versions as they are read', async () => {
    const property = newProperty();
    await api.service.repository.save(property, 0, context);
    // The service writes PropertyListed v2; a reader that knows a v3 (a v2 → v3 step) reads it as v3.
    const upcasters = new Upcasters().register('PropertyListed', 2, (payload) => ({
      ...payload,
      description: 'upcast from v2',
    }));
    const reader = new PostgresEventStore(api.service.db, 'property', api.service.codec, upcasters);
    const [listed] = await reader.read(property.id);
    expect(listed?.schemaVersion).toBe(3);
    expect(listed?.event.data).toMatchObject({ description: 'upcast from v2', bedrooms: 2 });
  });
});
