import type { RecordedEvent } from '../../shared/event-sourcing/domain-event';
import { moneyFromMajor, toMajor, type Money } from '../domain/money';
import type { PropertyEvent } from '../domain/property-events';
import type { PropertyView } from '../domain/property-view';

/** Money as the API shows it: major units. */
export function moneyJson(money: Money): { amount: number; currency: string } {
  return { amount: toMajor(money), currency: money.currency };
}

export function moneyFromBody(body: { amount: number; currency: string }): Money {
  return moneyFromMajor(body.amount, body.currency);
}

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
