import { toMajorMoney } from '../../shared/domain/money';
import { propertyEventOf, propertyEventStream, type PropertyEventOfType } from '../../property/published';
import { unhandledType } from '../../shared/messaging/typed-payload';
import type { ProjectedEvent, Projection } from '../../shared/projection/projection';
import { propertySearchMappings, type PropertySearchDocument } from './property-search-document';

export const propertySearchProjection: Projection<PropertySearchDocument> = {
  name: 'property-search',
  streams: [propertyEventStream],
  alias: 'properties',
  mappings: propertySearchMappings,
  documentId: (event) => event.aggregateId,
  apply: applyToSearchDocument,
};

/** Folds one property event into its search document (pure; throws on an impossible sequence). */
export function applyToSearchDocument(
  current: PropertySearchDocument | undefined,
  event: ProjectedEvent,
): PropertySearchDocument | undefined {
  const typed = propertyEventOf(event);
  if (!typed) throw new Error(`unknown event type ${event.eventType}`);
  const { type, data } = typed;
  if (type === 'PropertyListed') {
    if (event.version !== 1) throw new Error(`PropertyListed at version ${event.version}, expected 1`);
    const listed = data;
    return {
      id: event.aggregateId,
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
      updatedAt: event.occurredAt,
      priceChangeCount: 0,
      offerCount: 0,
      agentId: listed.listingAgent?.agentId ?? null,
      agency: listed.listingAgent?.agency ?? null,
      agentName: listed.listingAgent ? { ...listed.listingAgent.name } : null,
    };
  }
  if (!current) throw new Error(`${type} v${event.version} for a property the index has never seen listed`);
  if (event.version !== current.version + 1) {
    throw new Error(`${type} v${event.version} follows v${current.version}: an event is missing`);
  }
  const next: PropertySearchDocument = { ...current, version: event.version, updatedAt: event.occurredAt };
  switch (type) {
    case 'PropertyDetailsUpdated': {
      const changes = data;
      if (changes.address) Object.assign(next, addressFields(changes.address));
      if (changes.bedrooms !== null) next.bedrooms = changes.bedrooms;
      if (changes.bathrooms !== null) next.bathrooms = changes.bathrooms;
      if (changes.areaSqm !== null) next.areaSqm = changes.areaSqm;
      if (changes.propertyType !== null) next.type = changes.propertyType;
      // A blank description is how the event says "removed".
      if (changes.description !== null)
        next.description = changes.description.trim() === '' ? null : changes.description;
      return next;
    }
    case 'PriceChanged':
      return {
        ...next,
        price: toMajorMoney(data.newPrice),
        priceChangeCount: current.priceChangeCount + 1,
      };
    case 'OfferReceived':
      return { ...next, offerCount: current.offerCount + 1 };
    case 'PropertyReserved':
      return { ...next, status: 'reserved' };
    case 'ReservationReleased':
      return { ...next, status: 'listed' };
    case 'PropertySold':
      return { ...next, status: 'sold' };
    case 'ListingWithdrawn':
      return { ...next, status: 'withdrawn' };
    case 'PropertyRelisted': {
      const relisted = data;
      if (!relisted.price) return { ...next, status: 'listed' };
      return {
        ...next,
        status: 'listed',
        price: toMajorMoney(relisted.price),
        priceChangeCount: current.priceChangeCount + 1,
      };
    }
    case 'OfferAccepted':
    case 'OfferRejected':
    case 'OfferWithdrawn':
      // Not searchable, but the version moves on so the order guard keeps working.
      return next;
    default:
      return unhandledType(type);
  }
}

function addressFields(address: PropertyEventOfType<'PropertyListed'>['data']['address']) {
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
