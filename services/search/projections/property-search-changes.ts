import { toMajorMoney, type Money } from '../../shared/domain/money';
import type {
  PropertyDetailsUpdatedData,
  PropertyChange,
  PropertyListedData,
} from '../../property/published';
import { unhandledType } from '../../shared/messaging/typed-payload';
import type { PropertySearchDocument } from './property-search-document';

/** The search document a listing starts, at version 1. */
export function listedSearchDocument(
  id: string,
  listed: PropertyListedData,
  at: string,
): PropertySearchDocument {
  return {
    id,
    version: 1,
    status: 'listed',
    ...addressFields(listed.address),
    price: toMajorMoney(listed.price),
    bedrooms: listed.bedrooms,
    bathrooms: listed.bathrooms,
    areaSqm: listed.areaSqm,
    type: listed.propertyType,
    description: listed.description,
    listedAt: listed.listedAt,
    updatedAt: at,
    priceChangeCount: 0,
    offerCount: 0,
    agentId: listed.listingAgent?.agentId ?? null,
    agency: listed.listingAgent?.agency ?? null,
    agentName: listed.listingAgent ? { ...listed.listingAgent.name } : null,
  };
}

/** The search document after `change`, given the document already moved to the change's version. */
export function changedSearchDocument(
  next: PropertySearchDocument,
  change: PropertyChange,
): PropertySearchDocument {
  switch (change.type) {
    case 'PropertyDetailsUpdated':
      return withDetails(next, change.data);
    case 'PriceChanged':
      return withAskingPrice(next, change.data.newPrice);
    case 'OfferReceived':
      return { ...next, offerCount: next.offerCount + 1 };
    case 'PropertyReserved':
      return { ...next, status: 'reserved' };
    case 'ReservationReleased':
      return { ...next, status: 'listed' };
    case 'PropertySold':
      return { ...next, status: 'sold' };
    case 'ListingWithdrawn':
      return { ...next, status: 'withdrawn' };
    case 'PropertyRelisted': {
      const { price } = change.data;
      return price ? withAskingPrice({ ...next, status: 'listed' }, price) : { ...next, status: 'listed' };
    }
    case 'OfferAccepted':
    case 'OfferRejected':
    case 'OfferWithdrawn':
      // Not searchable, but the version moves on so the order guard keeps working.
      return next;
    default:
      return unhandledType(change);
  }
}

/** The details that changed (null: unchanged) replace the document's. */
function withDetails(
  document: PropertySearchDocument,
  changes: PropertyDetailsUpdatedData,
): PropertySearchDocument {
  const updated = { ...document };
  if (changes.address) Object.assign(updated, addressFields(changes.address));
  if (changes.bedrooms !== null) updated.bedrooms = changes.bedrooms;
  if (changes.bathrooms !== null) updated.bathrooms = changes.bathrooms;
  if (changes.areaSqm !== null) updated.areaSqm = changes.areaSqm;
  if (changes.propertyType !== null) updated.type = changes.propertyType;
  // A blank description is how the event says "removed".
  if (changes.description !== null)
    updated.description = changes.description.trim() === '' ? null : changes.description;
  return updated;
}

function withAskingPrice(document: PropertySearchDocument, price: Money): PropertySearchDocument {
  return { ...document, price: toMajorMoney(price), priceChangeCount: document.priceChangeCount + 1 };
}

function addressFields(address: PropertyListedData['address']) {
  return {
    street: address.street,
    city: address.city,
    postalCode: address.postalCode,
    region: address.region,
    country: address.country,
    address: [address.street, `${address.postalCode} ${address.city}`.trim(), address.region, address.country]
      .filter(Boolean)
      .join(', '),
    location: { lat: address.lat, lon: address.lon },
  };
}
