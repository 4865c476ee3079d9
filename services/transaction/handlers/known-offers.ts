import type { Kysely } from 'kysely';
import type {
  OfferAcceptedData,
  OfferReceivedData,
  OfferRejectedData,
  OfferWithdrawnData,
} from '../../property/contract';
import type { IncomingMessage } from '../../shared/messaging/incoming-message';
import type { KnownOffersTable, TransactionTables } from '../transaction-tables';

type OfferStatus = KnownOffersTable['status'];

/**
 * Keeps the orchestrator's own copy of every offer from `property.events`, so a purchase
 * can be checked and priced when it starts without asking the property service, and the
 * newest property version seen, so a purchase started with a consistency token waits
 * for it. Events of one property arrive in order; the version guards make redelivery
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
    await applyOffer(event);
    // After the offer's own change, so a client waiting on this version sees the offer too.
    await db
      .insertInto('known_property_versions')
      .values({ property_id: event.key, version: event.sequence })
      .onConflict((oc) =>
        oc
          .column('property_id')
          .doUpdateSet({ version: (eb) => eb.ref('excluded.version') })
          .where('known_property_versions.version', '<', (eb) => eb.ref('excluded.version')),
      )
      .execute();
  };

  async function applyOffer(event: IncomingMessage): Promise<void> {
    switch (event.type) {
      case 'OfferReceived': {
        const data = event.data as unknown as OfferReceivedData;
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
        return setStatus((event.data as unknown as OfferAcceptedData).offerId, 'accepted', event.sequence);
      case 'OfferRejected':
        return setStatus((event.data as unknown as OfferRejectedData).offerId, 'rejected', event.sequence);
      case 'OfferWithdrawn':
        return setStatus((event.data as unknown as OfferWithdrawnData).offerId, 'withdrawn', event.sequence);
      default:
        return;
    }
  }
}
