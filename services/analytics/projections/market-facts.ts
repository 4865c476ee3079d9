import type { MajorMoney } from '../../shared/domain/money';
import { propertyEventOf } from '../../property/published';
import { unhandledType } from '../../shared/messaging/typed-payload';
import type { ProjectedEvent } from '../../shared/projection/projection';
import { utcDay } from '../calendar-day';
import type { MarketFactDocument } from './market-fact-document';
import type { MarketPropertyDocument } from './market-property-document';

/** What every fact says: which property, which event, where and when. */
type FactOrigin = Pick<
  MarketFactDocument,
  'propertyId' | 'eventId' | 'version' | 'city' | 'postalCode' | 'day' | 'at'
>;

/**
 * The immutable market facts an applied event adds, given the document before and after
 * it (pure). At most one per event, since a fact's id is its event's id.
 */
export function marketFactsOf(
  before: MarketPropertyDocument | undefined,
  after: MarketPropertyDocument,
  event: ProjectedEvent,
): MarketFactDocument[] {
  const origin = factOrigin(after, event);
  const typed = propertyEventOf(event);
  if (!typed) return [];
  const { type } = typed;
  switch (type) {
    case 'PropertyListed':
      return [
        { ...origin, kind: 'listed', currency: after.listPrice.currency, listPrice: after.listPrice.amount },
      ];
    case 'PriceChanged':
      return priceChangeFacts(origin, before, after);
    case 'PropertySold':
      return [soldFact(origin, after)];
    case 'ListingWithdrawn':
      return [withdrawnFact(origin, after)];
    case 'PropertyRelisted':
      return [relistedFact(origin, before, after)];
    case 'PropertyDetailsUpdated':
    case 'OfferReceived':
    case 'OfferAccepted':
    case 'OfferRejected':
    case 'OfferWithdrawn':
    case 'PropertyReserved':
    case 'ReservationReleased':
      // Not market facts: the document changes, the market's history does not.
      return [];
    default:
      return unhandledType(type);
  }
}

function factOrigin(after: MarketPropertyDocument, event: ProjectedEvent): FactOrigin {
  return {
    propertyId: after.id,
    eventId: event.eventId,
    version: event.version,
    city: after.city,
    postalCode: after.postalCode,
    day: utcDay(event.occurredAt),
    at: event.occurredAt,
  };
}

/** A price cut or raise; none when the asking price did not really move. */
function priceChangeFacts(
  origin: FactOrigin,
  before: MarketPropertyDocument | undefined,
  after: MarketPropertyDocument,
): MarketFactDocument[] {
  const change = priceChange(before, after);
  if (!change) return [];
  const kind = change.priceChange === 'cut' ? 'price-cut' : 'price-raise';
  return [{ ...origin, kind, ...change, listPrice: after.listPrice.amount }];
}

function soldFact(origin: FactOrigin, after: MarketPropertyDocument): MarketFactDocument {
  const listPrice = after.listPrice.amount;
  const sale = after.salePrice as MajorMoney;
  // A ratio across currencies would need an exchange rate; the domain never allows it anyway.
  const comparable = sale.currency === after.listPrice.currency && listPrice > 0;
  return {
    ...origin,
    kind: 'sold',
    currency: sale.currency,
    listPrice,
    salePrice: sale.amount,
    ...(comparable ? { saleToListRatio: sale.amount / listPrice } : {}),
    daysOnMarket: after.daysOnMarket ?? 0,
  };
}

function withdrawnFact(origin: FactOrigin, after: MarketPropertyDocument): MarketFactDocument {
  return {
    ...origin,
    kind: 'withdrawn',
    currency: after.currentPrice.currency,
    listPrice: after.listPrice.amount,
    daysOnMarket: after.daysOnMarket ?? 0,
  };
}

/** A relisting, with the price change when it came back at another asking price. */
function relistedFact(
  origin: FactOrigin,
  before: MarketPropertyDocument | undefined,
  after: MarketPropertyDocument,
): MarketFactDocument {
  return {
    ...origin,
    kind: 'relisted',
    currency: after.currentPrice.currency,
    listPrice: after.listPrice.amount,
    ...priceChange(before, after),
  };
}

function priceChange(
  before: MarketPropertyDocument | undefined,
  after: MarketPropertyDocument,
): Pick<MarketFactDocument, 'oldPrice' | 'newPrice' | 'priceChange' | 'currency'> | undefined {
  if (!before) return undefined;
  const oldPrice = before.currentPrice.amount;
  const newPrice = after.currentPrice.amount;
  if (oldPrice === newPrice) return undefined;
  return {
    currency: after.currentPrice.currency,
    oldPrice,
    newPrice,
    priceChange: newPrice < oldPrice ? 'cut' : 'raise',
  };
}
