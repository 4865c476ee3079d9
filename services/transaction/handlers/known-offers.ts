import type { Kysely, QueryCreator } from 'kysely';
import { propertyEventOf, type PropertyEvent } from '../../property/published';
import { CompiledOnce } from '../../shared/db/compiled-once';
import type { IncomingMessage } from '../../shared/messaging/incoming-message';
import { unhandledType } from '../../shared/messaging/typed-payload';
import type { KnownOffersTable, TransactionTables } from '../transaction-tables';

type OfferStatus = KnownOffersTable['status'];

interface PropertySeen {
  propertyId: string;
  version: number;
}

interface OfferSeen extends PropertySeen {
  offerId: string;
  buyerId: string;
  amountMinor: bigint | number;
  currency: string;
}

interface OfferDecided extends PropertySeen {
  offerId: string;
  status: OfferStatus;
}

/**
 * Every event moves the property's newest version forward; the offer's own change rides in
 * the same statement, so a client waiting on that version never sees it without the offer.
 * PropertyListed also names the owner (upcast from v1 it is null: no owner was known);
 * whether the statement sets it is its shape, fixed when it is compiled.
 */
function upsertVersion(
  db: QueryCreator<TransactionTables>,
  p: PropertySeen,
  owner?: { ownerId: string | null },
) {
  return db
    .insertInto('known_properties')
    .values({ property_id: p.propertyId, version: p.version, ...(owner ? { owner_id: owner.ownerId } : {}) })
    .onConflict((oc) =>
      oc
        .column('property_id')
        .doUpdateSet((eb) => ({
          version: eb.ref('excluded.version'),
          ...(owner ? { owner_id: eb.ref('excluded.owner_id') } : {}),
        }))
        .where('known_properties.version', '<', (eb) => eb.ref('excluded.version')),
    );
}

// The handler's statements, built and compiled once (one per event, autocommitted): this
// consumer sees every property event, so kysely's per-call compile was a third of its CPU.
const propertySeen = new CompiledOnce((db: Kysely<TransactionTables>, p: PropertySeen) =>
  upsertVersion(db, p),
);

const propertyListed = new CompiledOnce(
  (db: Kysely<TransactionTables>, p: PropertySeen & { ownerId: string | null }) =>
    upsertVersion(db, p, { ownerId: p.ownerId }),
);

const offerReceived = new CompiledOnce((db: Kysely<TransactionTables>, p: OfferSeen) =>
  db
    .with('seen', (q) => upsertVersion(q, p))
    .insertInto('known_offers')
    .values({
      offer_id: p.offerId,
      property_id: p.propertyId,
      buyer_id: p.buyerId,
      amount_minor: p.amountMinor,
      currency: p.currency,
      status: 'pending',
      property_version: p.version,
    })
    .onConflict((oc) => oc.column('offer_id').doNothing()),
);

const offerDecided = new CompiledOnce((db: Kysely<TransactionTables>, p: OfferDecided) =>
  db
    .with('seen', (q) => upsertVersion(q, p))
    .updateTable('known_offers')
    .set({ status: p.status, property_version: p.version })
    .where('offer_id', '=', p.offerId)
    .where('property_version', '<', p.version),
);

/**
 * Keeps the orchestrator's own copy of every offer from `property.events`, so a purchase
 * can be checked and priced when it starts without asking the property service, and per
 * property the newest version seen (a purchase started with a consistency token waits for
 * it) and its owner (who may follow its purchases). Events of one property arrive in
 * order; the version guards make redelivery harmless.
 */
export function knownOffersHandler(db: Kysely<TransactionTables>) {
  return async (event: IncomingMessage): Promise<void> => {
    const typed = propertyEventOf({ eventType: event.type, data: event.data });
    if (!typed) throw new Error(`unknown property event type ${event.type}`);
    await apply(typed, { propertyId: event.key, version: event.sequence });
  };

  async function apply(typed: PropertyEvent, seen: PropertySeen): Promise<void> {
    const decided = (offerId: string, status: OfferStatus) =>
      offerDecided.execute(db, { ...seen, offerId, status });
    switch (typed.type) {
      case 'OfferReceived': {
        const { offerId, buyerId, amount } = typed.data;
        await offerReceived.execute(db, {
          ...seen,
          offerId,
          buyerId,
          amountMinor: amount.amountMinor,
          currency: amount.currency,
        });
        return;
      }
      case 'OfferAccepted':
        await decided(typed.data.offerId, 'accepted');
        return;
      case 'OfferRejected':
        await decided(typed.data.offerId, 'rejected');
        return;
      case 'OfferWithdrawn':
        await decided(typed.data.offerId, 'withdrawn');
        return;
      case 'PropertyListed':
        await propertyListed.execute(db, { ...seen, ownerId: typed.data.ownerId ?? null });
        return;
      case 'PropertyDetailsUpdated':
      case 'PriceChanged':
      case 'PropertyReserved':
      case 'ReservationReleased':
      case 'PropertySold':
      case 'ListingWithdrawn':
      case 'PropertyRelisted':
        // No offer changes: only the property's version moves.
        await propertySeen.execute(db, seen);
        return;
      default:
        return unhandledType(typed);
    }
  }
}
