import type { Kysely } from 'kysely';
import { propertyEventOf, type PropertyEvent } from '../../property/contract';
import type { IncomingMessage } from '../../shared/messaging/incoming-message';
import { unhandledType } from '../../shared/messaging/typed-payload';
import type { KnownOffersTable, TransactionTables } from '../transaction-tables';

type OfferStatus = KnownOffersTable['status'];

/**
 * Keeps the orchestrator's own copy of every offer from `property.events`, so a purchase
 * can be checked and priced when it starts without asking the property service, and per
 * property the newest version seen (a purchase started with a consistency token waits for
 * it) and its owner (who may follow its purchases). Events of one property arrive in order; the version guards make redelivery
 * harmless.
 */
export function knownOffersHandler(db: Kysely<TransactionTables>) {
  const setStatus = async (offerId: string, status: OfferStatus, version: number) => {
    await db
      .updateTable('known_offers')
      .set({ status, property_version: version })
      .where('offer_id', '=', offerId)
      .where('property_version', '<', version)
      .execute();
  };
  return async (event: IncomingMessage): Promise<void> => {
    const typed = propertyEventOf({ eventType: event.type, data: event.data });
    if (!typed) throw new Error(`unknown property event type ${event.type}`);
    await applyOffer(typed, event);
    // After the offer's own change, so a client waiting on this version sees the offer too.
    // The owner comes with PropertyListed (upcast from v1 it is null: no owner was known).
    const ownerId = typed.type === 'PropertyListed' ? (typed.data.ownerId ?? null) : undefined;
    await db
      .insertInto('known_properties')
      .values({
        property_id: event.key,
        version: event.sequence,
        ...(ownerId === undefined ? {} : { owner_id: ownerId }),
      })
      .onConflict((oc) =>
        oc
          .column('property_id')
          .doUpdateSet((eb) => ({
            version: eb.ref('excluded.version'),
            ...(ownerId === undefined ? {} : { owner_id: eb.ref('excluded.owner_id') }),
          }))
          .where('known_properties.version', '<', (eb) => eb.ref('excluded.version')),
      )
      .execute();
  };

  async function applyOffer(typed: PropertyEvent, event: IncomingMessage): Promise<void> {
    switch (typed.type) {
      case 'OfferReceived': {
        const { data } = typed;
        await db
          .insertInto('known_offers')
          .values({
            offer_id: data.offerId,
            property_id: event.key,
            buyer_id: data.buyerId,
            amount_minor: data.amount.amountMinor,
            currency: data.amount.currency,
            status: 'pending',
            property_version: event.sequence,
          })
          .onConflict((oc) => oc.column('offer_id').doNothing())
          .execute();
        return;
      }
      case 'OfferAccepted':
        return setStatus(typed.data.offerId, 'accepted', event.sequence);
      case 'OfferRejected':
        return setStatus(typed.data.offerId, 'rejected', event.sequence);
      case 'OfferWithdrawn':
        return setStatus(typed.data.offerId, 'withdrawn', event.sequence);
      case 'PropertyListed':
      case 'PropertyDetailsUpdated':
      case 'PriceChanged':
      case 'PropertyReserved':
      case 'ReservationReleased':
      case 'PropertySold':
      case 'ListingWithdrawn':
      case 'PropertyRelisted':
        // No offer changes; the property's version (and owner) are kept below.
        return;
      default:
        return unhandledType(typed);
    }
  }
}
