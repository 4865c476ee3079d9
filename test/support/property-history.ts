import type { ProjectedEvent } from '../../services/shared/projection/projection';

/** Money as property events carry it: whole minor units. */
export const eurMinor = (amount: number) => ({ amountMinor: Math.round(amount * 100), currency: 'EUR' });

/**
 * The events of one property as the relay delivers them to a projection: versions and
 * offsets numbered in order, event ids unique per aggregate (and per `run`, for tests that
 * share an index with others).
 */
export function propertyHistory(aggregateId: string, run = '') {
  let version = 0;
  return (eventType: string, occurredAt: string, data: Record<string, unknown> = {}): ProjectedEvent => {
    version += 1;
    return {
      aggregateId,
      eventId: `${aggregateId}${run ? `-${run}` : ''}-e${version}`,
      eventType,
      version,
      occurredAt,
      data,
      topic: 'property.events',
      partition: 0,
      offset: String(version),
    };
  };
}

/** A PropertyListed payload (schema v2) with the given features. */
export function listedPayload(features: {
  price: number;
  listedAt: string;
  city?: string;
  lat?: number;
  lon?: number;
  areaSqm?: number;
  bedrooms?: number;
  bathrooms?: number;
  propertyType?: string;
}) {
  return {
    address: {
      street: 'Oudegracht 1',
      city: features.city ?? 'Utrecht',
      postalCode: '3511 AA',
      region: 'Utrecht',
      country: 'NL',
      lat: features.lat ?? 52.09,
      lon: features.lon ?? 5.12,
    },
    price: eurMinor(features.price),
    bedrooms: features.bedrooms ?? 3,
    bathrooms: features.bathrooms ?? 1,
    areaSqm: features.areaSqm ?? 100,
    propertyType: features.propertyType ?? 'house',
    description: null,
    listedAt: features.listedAt,
    ownerId: 'seller',
    listingAgent: null,
  };
}
