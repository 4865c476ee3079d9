import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { infrastructureConfig } from '../../shared/service/infrastructure';
import { createDatabase } from '../../shared/db/database';
import type { IncomingMessage } from '../../shared/messaging/incoming-message';
import type { TransactionTables } from '../transaction-tables';
import { knownOffersHandler } from './known-offers';

// The transaction schema as the test bootstrap migrated it, signed in as its owner; every
// case works on properties and offers of its own, so nothing else sees or disturbs them.
const db: Kysely<TransactionTables> = createDatabase<TransactionTables>({
  connectionString: infrastructureConfig().DATABASE_URL,
  maxConnections: 2,
  applicationName: 'known-offers-test',
}).withSchema('transaction');
const handle = knownOffersHandler(db);
const propertyIds: string[] = [];

afterAll(async () => {
  await db.deleteFrom('known_offers').where('property_id', 'in', propertyIds).execute();
  await db.deleteFrom('known_properties').where('property_id', 'in', propertyIds).execute();
  await db.destroy();
});

function newProperty(): string {
  const id = randomUUID();
  propertyIds.push(id);
  return id;
}

const money = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

function event(
  propertyId: string,
  sequence: number,
  type: string,
  data: Record<string, unknown>,
): IncomingMessage {
  return {
    topic: 'property.events',
    partition: 0,
    offset: String(sequence),
    key: propertyId,
    messageId: randomUUID(),
    type,
    correlationId: randomUUID(),
    causationId: null,
    actor: null,
    sequence,
    occurredAt: new Date().toISOString(),
    data,
  };
}

const listed = (propertyId: string, version: number, ownerId: string | null) =>
  event(propertyId, version, 'PropertyListed', { ownerId, price: money(300_000_00) });
const priceChanged = (propertyId: string, version: number) =>
  event(propertyId, version, 'PriceChanged', { previousPrice: money(1), newPrice: money(2) });
const offerReceived = (propertyId: string, version: number, offerId: string) =>
  event(propertyId, version, 'OfferReceived', { offerId, buyerId: 'buyer-1', amount: money(290_000_00) });
const offerAccepted = (propertyId: string, version: number, offerId: string) =>
  event(propertyId, version, 'OfferAccepted', { offerId, buyerId: 'buyer-1', amount: money(290_000_00) });

const propertyRow = (propertyId: string) =>
  db
    .selectFrom('known_properties')
    .select(['version', 'owner_id'])
    .where('property_id', '=', propertyId)
    .executeTakeFirst();
const offerRow = (offerId: string) =>
  db
    .selectFrom('known_offers')
    .select(['status', 'property_version', 'amount_minor', 'buyer_id'])
    .where('offer_id', '=', offerId)
    .executeTakeFirst();

describe('known offers: the orchestrator’s copy of property.events', () => {
  it('keeps each offer with its status and the property’s newest version and owner', async () => {
    const property = newProperty();
    const offer = randomUUID();
    await handle(listed(property, 1, 'seller-1'));
    await handle(priceChanged(property, 2));
    await handle(offerReceived(property, 3, offer));
    expect(await offerRow(offer)).toEqual({
      status: 'pending',
      property_version: 3,
      amount_minor: 29_000_000n,
      buyer_id: 'buyer-1',
    });
    await handle(offerAccepted(property, 4, offer));
    expect(await offerRow(offer)).toMatchObject({ status: 'accepted', property_version: 4 });
    expect(await propertyRow(property)).toEqual({ version: 4, owner_id: 'seller-1' });
  });

  it('changes nothing when events are delivered again, in any order', async () => {
    const property = newProperty();
    const offer = randomUUID();
    const history = [
      listed(property, 1, 'seller-2'),
      offerReceived(property, 2, offer),
      offerAccepted(property, 3, offer),
    ];
    for (const message of history) await handle(message);
    // A consumer that restarts redelivers from its last committed offset.
    for (const message of [...history].reverse()) await handle(message);
    expect(await offerRow(offer)).toMatchObject({ status: 'accepted', property_version: 3 });
    expect(await propertyRow(property)).toEqual({ version: 3, owner_id: 'seller-2' });
  });

  it('knows a property (without an owner) from any event, before its listing is seen', async () => {
    const property = newProperty();
    await handle(priceChanged(property, 5));
    expect(await propertyRow(property)).toEqual({ version: 5, owner_id: null });
  });

  it('moves the version for a decision on an offer it never saw', async () => {
    const property = newProperty();
    const offer = randomUUID();
    await handle(listed(property, 1, 'seller-3'));
    // An offer decision for an offer this copy never saw (it predates the topic's retention)
    // still moves the version: a purchase waiting for it must not wait forever.
    await handle(offerAccepted(property, 2, offer));
    expect(await offerRow(offer)).toBeUndefined();
    expect(await propertyRow(property)).toEqual({ version: 2, owner_id: 'seller-3' });
  });
});
