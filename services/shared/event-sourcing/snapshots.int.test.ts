import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { startPropertyService, listing, type PropertyHarness } from '../../../test/support/property-harness';
import { infrastructureConfig } from '../service/infrastructure';
import { createDatabase } from '../db/database';
import type { SnapshotTables } from '../event-store/tables';

// Small, so a test crosses it in a few commands.
const every = 5;
let api: PropertyHarness;
let snapshots: Kysely<SnapshotTables>;

beforeAll(async () => {
  api = await startPropertyService({ env: { PROPERTY_SNAPSHOT_EVERY: String(every) } });
  snapshots = createDatabase<SnapshotTables>({
    connectionString: infrastructureConfig().DATABASE_URL,
    maxConnections: 1,
  }).withSchema('property');
});
afterAll(async () => {
  await snapshots?.destroy();
  await api?.close();
});

/** A listing with `priceChanges` price changes after it (version 1 + priceChanges). */
async function propertyWithPriceChanges(priceChanges: number): Promise<string> {
  const listed = await api.call('POST', '/properties', listing());
  expect(listed.status).toBe(201);
  const id = listed.body.id as string;
  for (let i = 1; i <= priceChanges; i++) {
    const changed = await api.call('POST', `/properties/${id}/price`, {
      price: { amount: 650_000 + i * 1_000, currency: 'EUR' },
    });
    expect(changed.status).toBe(200);
  }
  return id;
}

const snapshotOf = (id: string) =>
  snapshots.selectFrom('snapshots').selectAll().where('stream_id', '=', id).executeTakeFirst();

/** What the service shows now, and what folding every event says it should show. */
async function shownAndFolded(id: string) {
  const shown = await api.call('GET', `/properties/${id}`);
  expect(shown.status).toBe(200);
  const history = await api.service.store.read(id);
  const version = history.length;
  const folded = await api.call('GET', `/properties/${id}?version=${version}`);
  return { shown: shown.body, folded: folded.body };
}

describe('property snapshots', () => {
  it('are taken as a stream passes each multiple of the interval, and a load from one equals the fold of every event', async () => {
    const id = await propertyWithPriceChanges(2 * every + 2);
    const row = await snapshotOf(id);
    expect(row?.version).toBe(2 * every);
    const { shown, folded } = await shownAndFolded(id);
    expect(shown).toEqual(folded);
    expect(shown.version).toBe(2 * every + 3);
  });

  it('a corrupted snapshot is ignored: the events decide, and the snapshot is written again from them', async () => {
    const id = await propertyWithPriceChanges(every);
    const row = await snapshotOf(id);
    expect(row?.version).toBe(every);
    // A wrong price in the stored state (the digest no longer matches).
    const state = JSON.parse(row!.state) as { price: { amountMinor: number } };
    state.price.amountMinor = 1;
    await snapshots
      .updateTable('snapshots')
      .set({ state: JSON.stringify(state) })
      .where('stream_id', '=', id)
      .execute();

    const { shown, folded } = await shownAndFolded(id);
    expect(shown).toEqual(folded);
    expect((shown.price as { amount: number }).amount).toBe(650_000 + every * 1_000);
    const healed = await snapshotOf(id);
    expect(healed?.version).toBe(every + 1);
    expect(JSON.parse(healed!.state)).toMatchObject({
      price: { amountMinor: (650_000 + every * 1_000) * 100 },
    });
  });

  it('a snapshot forged with a matching digest but a shape the format does not allow is ignored too', async () => {
    const id = await propertyWithPriceChanges(every);
    const forged = JSON.stringify({ status: 'sold' });
    const digest = createHash('sha256').update(`${id}\n${every}\n1\n${forged}`).digest('hex');
    await snapshots
      .updateTable('snapshots')
      .set({ state: forged, digest })
      .where('stream_id', '=', id)
      .execute();
    const { shown, folded } = await shownAndFolded(id);
    expect(shown).toEqual(folded);
    expect(shown.status).toBe('listed');
  });

  it('a snapshot of a version the stream never reached is ignored, digest and shape notwithstanding', async () => {
    const id = await propertyWithPriceChanges(every);
    const row = await snapshotOf(id);
    // As if the events had been restored from an older backup while the snapshots were kept.
    const version = every + 50;
    const digest = createHash('sha256').update(`${id}\n${version}\n1\n${row!.state}`).digest('hex');
    await snapshots.updateTable('snapshots').set({ version, digest }).where('stream_id', '=', id).execute();
    const { shown, folded } = await shownAndFolded(id);
    expect(shown).toEqual(folded);
    expect(shown.version).toBe(every + 1);
    // The load found no events from the snapshot's version on, read them all, and replaced it.
    expect((await snapshotOf(id))?.version).toBe(every + 1);
    // The next command continues the real stream, with no gap.
    const next = await api.call('POST', `/properties/${id}/price`, {
      price: { amount: 999_000, currency: 'EUR' },
    });
    expect(next.status).toBe(200);
    expect(next.body.version).toBe(every + 2);
  });

  it('time travel folds the events themselves, whatever snapshot exists', async () => {
    const id = await propertyWithPriceChanges(every + 1);
    const atTwo = await api.call('GET', `/properties/${id}?version=2`);
    expect(atTwo.status).toBe(200);
    expect(atTwo.body.version).toBe(2);
    expect((atTwo.body.price as { amount: number }).amount).toBe(651_000);
  });

  it('emptying the snapshots loses nothing: loads fold the events and take snapshots again', async () => {
    const id = await propertyWithPriceChanges(every + 1);
    await snapshots.deleteFrom('snapshots').where('stream_id', '=', id).execute();
    const { shown, folded } = await shownAndFolded(id);
    expect(shown).toEqual(folded);
    expect((await snapshotOf(id))?.version).toBe(every + 2);
  });
});
