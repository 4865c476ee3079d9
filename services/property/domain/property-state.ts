import { moneyEquals } from '../../shared/domain/money';
import type { PropertyDetailsUpdatedData, PropertyEvent } from '../published/property-events';
import type { OfferStatus, OfferView, PropertyView } from './property-view';

/** A listed property's state: its view without id and version (the aggregate keeps those). */
export type ListingState = Omit<PropertyView, 'id' | 'version'>;

/** A property stream's state: null until a PropertyListed event. Never mutated: evolve returns a new one. */
export interface PropertyState {
  readonly id: string;
  readonly listing: ListingState | null;
}

export const initialPropertyState = (id: string): PropertyState => ({ id, listing: null });

/**
 * The state after one more event. Events are facts already decided, possibly by older
 * code: this never validates or throws, and tolerates gaps (an event for an unknown offer,
 * or any event before PropertyListed) by recording what it can.
 */
export function evolveProperty(state: PropertyState, event: PropertyEvent): PropertyState {
  if (event.type === 'PropertyListed') {
    const { data } = event;
    return {
      id: state.id,
      listing: {
        status: 'listed',
        address: { ...data.address },
        price: { ...data.price },
        bedrooms: data.bedrooms,
        bathrooms: data.bathrooms,
        areaSqm: data.areaSqm,
        propertyType: data.propertyType,
        description: data.description,
        listedAt: data.listedAt,
        ownerId: data.ownerId,
        listingAgent: data.listingAgent,
        offers: [],
        acceptedOfferId: null,
        reservation: null,
        salePrice: null,
        priceChangeCount: 0,
      },
    };
  }
  const listing = state.listing;
  return listing === null ? state : { id: state.id, listing: evolveListing(listing, event) };
}

function evolveListing(listing: ListingState, event: PropertyEvent): ListingState {
  switch (event.type) {
    case 'PropertyListed':
      return listing;
    case 'PropertyDetailsUpdated':
      return withDetails(listing, event.data);
    case 'PriceChanged':
      return {
        ...listing,
        price: { ...event.data.newPrice },
        priceChangeCount: listing.priceChangeCount + 1,
      };
    case 'OfferReceived':
    case 'OfferAccepted':
    case 'OfferRejected':
    case 'OfferWithdrawn':
      return evolveOffers(listing, event);
    case 'PropertyReserved':
      return { ...listing, status: 'reserved', reservation: { ...event.data } };
    case 'ReservationReleased':
      // The offer stays accepted: the parties may start a new transaction on it, or close
      // it explicitly before another offer is accepted.
      return { ...listing, status: 'listed', reservation: null };
    case 'PropertySold': {
      const { transactionId, offerId, buyerId, salePrice } = event.data;
      return {
        ...listing,
        status: 'sold',
        reservation: { transactionId, offerId, buyerId },
        salePrice: { ...salePrice },
      };
    }
    case 'ListingWithdrawn':
      return { ...listing, status: 'withdrawn' };
    case 'PropertyRelisted': {
      const { price } = event.data;
      const repriced = price !== null && !moneyEquals(price, listing.price);
      return repriced
        ? {
            ...listing,
            status: 'listed',
            price: { ...price },
            priceChangeCount: listing.priceChangeCount + 1,
          }
        : { ...listing, status: 'listed' };
    }
    default: {
      // Compile-time exhaustiveness only; an unknown type at run time changes nothing.
      const _unhandled: never = event;
      return listing;
    }
  }
}

/** Only the details the event names change: null means "unchanged", a removed description is ''. */
function withDetails(listing: ListingState, data: PropertyDetailsUpdatedData): ListingState {
  return {
    ...listing,
    address: data.address ?? listing.address,
    bedrooms: data.bedrooms ?? listing.bedrooms,
    bathrooms: data.bathrooms ?? listing.bathrooms,
    areaSqm: data.areaSqm ?? listing.areaSqm,
    propertyType: data.propertyType ?? listing.propertyType,
    description: data.description === null ? listing.description : data.description || null,
  };
}

type OfferEvent = Extract<
  PropertyEvent,
  { type: 'OfferReceived' | 'OfferAccepted' | 'OfferRejected' | 'OfferWithdrawn' }
>;

/** An offer arrives (pending, in arrival order), is accepted, or is closed. */
function evolveOffers(listing: ListingState, event: OfferEvent): ListingState {
  switch (event.type) {
    case 'OfferReceived': {
      const { offerId, buyerId, amount } = event.data;
      const offer: OfferView = { offerId, buyerId, amount: { ...amount }, status: 'pending' };
      return { ...listing, offers: [...listing.offers, offer] };
    }
    case 'OfferAccepted':
      return {
        ...withOfferStatus(listing, event.data.offerId, 'accepted'),
        acceptedOfferId: event.data.offerId,
      };
    case 'OfferRejected':
      return closeOffer(listing, event.data.offerId, 'rejected');
    case 'OfferWithdrawn':
      return closeOffer(listing, event.data.offerId, 'withdrawn');
  }
}

function withOfferStatus(listing: ListingState, offerId: string, status: OfferStatus): ListingState {
  return {
    ...listing,
    offers: listing.offers.map((offer) => (offer.offerId === offerId ? { ...offer, status } : offer)),
  };
}

function closeOffer(listing: ListingState, offerId: string, status: 'rejected' | 'withdrawn'): ListingState {
  const closed = withOfferStatus(listing, offerId, status);
  return listing.acceptedOfferId === offerId ? { ...closed, acceptedOfferId: null } : closed;
}
