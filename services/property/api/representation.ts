import type { RecordedEvent } from '../../shared/event-sourcing/domain-event';
import { moneyFromBody, moneyJson } from '../../shared/http/money-json';

export { moneyFromBody, moneyJson };
import type { PropertyEvent } from '../contract/property-events';
import type { PropertyView } from '../domain/property-view';

/** "<id>@<version>": what the query APIs wait for before answering (read-your-writes). */
export function consistencyToken(id: string, version: number): string {
  return `${id}@${version}`;
}

export function etag(version: number): string {
  return `"${version}"`;
}

export function propertyJson(view: PropertyView) {
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
    offers: view.offers.map((offer) => ({ ...offer, amount: moneyJson(offer.amount) })),
    acceptedOfferId: view.acceptedOfferId,
    reservation: view.reservation,
    salePrice: view.salePrice ? moneyJson(view.salePrice) : null,
    priceChangeCount: view.priceChangeCount,
  };
}

export function eventJson(recorded: RecordedEvent<PropertyEvent>) {
  return {
    eventId: recorded.eventId,
    version: recorded.version,
    type: recorded.event.type,
    schemaVersion: recorded.schemaVersion,
    occurredAt: recorded.occurredAt.toISOString(),
    data: recorded.event.data,
    metadata: recorded.metadata,
  };
}
