import type { RecordedEvent } from '../../shared/domain/domain-event';
import { moneyFromBody, moneyJson } from '../../shared/http/money-json';

export { moneyFromBody, moneyJson };
import type { PropertyEvent } from '../published/property-events';
import type { PublicAgentCard } from '../published/listing-agent-view';
import type { PropertyView } from '../domain/property-view';
import type { Viewer } from './redaction';
import type { propertyState } from './response-schemas';
import type { z } from 'zod';

/** "<id>@<version>": what the query APIs wait for before answering (read-your-writes). */
export function consistencyToken(id: string, version: number): string {
  return `${id}@${version}`;
}

export function etag(version: number): string {
  return `"${version}"`;
}

/** The state as `viewer` may see it (buyers' ids only for the owner and each buyer). */
export function propertyJson(
  view: PropertyView,
  viewer: Viewer,
  listingAgent: PublicAgentCard | null,
): z.output<typeof propertyState> {
  return {
    id: view.id,
    version: view.version,
    status: view.status,
    address: view.address,
    price: moneyJson(view.price),
    bedrooms: view.bedrooms,
    bathrooms: view.bathrooms,
    areaSqm: view.areaSqm,
    type: view.propertyType,
    description: view.description,
    listedAt: view.listedAt,
    ownerId: viewer.person(view.ownerId),
    listingAgent,
    offers: view.offers.map((offer) => ({
      ...viewer.payload(offer),
      amount: moneyJson(offer.amount),
    })),
    acceptedOfferId: view.acceptedOfferId,
    reservation: view.reservation && viewer.payload(view.reservation),
    salePrice: view.salePrice ? moneyJson(view.salePrice) : null,
    priceChangeCount: view.priceChangeCount,
  };
}

/** One event of the history as `viewer` may see it (buyers and actors named only to themselves and the owner). */
export function eventJson(recorded: RecordedEvent<PropertyEvent>, viewer: Viewer) {
  return {
    eventId: recorded.eventId,
    version: recorded.version,
    type: recorded.event.type,
    schemaVersion: recorded.schemaVersion,
    occurredAt: recorded.occurredAt.toISOString(),
    data: viewer.payload(recorded.event.data),
    metadata: { ...recorded.metadata, actor: viewer.person(recorded.metadata.actor) },
  };
}
