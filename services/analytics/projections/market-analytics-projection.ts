import { toMajorMoney, type MajorMoney } from '../../shared/domain/money';
import { propertyEventOf, propertyEventStream } from '../../property/published';
import { unhandledType } from '../../shared/messaging/typed-payload';
import type { ProjectedEvent, Projection } from '../../shared/projection/projection';
import { utcDay } from '../calendar-day';
import { daysOnMarket } from './days-on-market';
import { marketFactMappings, type MarketFactDocument } from './market-fact-document';
import {
  marketPropertyMappings,
  type MarketOffer,
  type MarketPropertyDocument,
} from './market-property-document';

export const marketAnalyticsProjection: Projection<MarketPropertyDocument> = {
  name: 'market-analytics',
  streams: [propertyEventStream],
  alias: 'market-properties',
  mappings: marketPropertyMappings,
  documentId: (event) => event.aggregateId,
  apply: applyToMarketDocument,
  facts: {
    mappings: marketFactMappings,
    of: (before, after, event) =>
      marketFactsOf(before, after, event).map((document) => ({ id: event.eventId, document })),
  },
};

/** Folds one property event into its market document (pure; throws on an impossible sequence). */
export function applyToMarketDocument(
  current: MarketPropertyDocument | undefined,
  event: ProjectedEvent,
): MarketPropertyDocument | undefined {
  const typed = propertyEventOf(event);
  if (!typed) throw new Error(`unknown event type ${event.eventType}`);
  const { type, data } = typed;
  const at = event.occurredAt;
  if (type === 'PropertyListed') {
    if (event.version !== 1) throw new Error(`PropertyListed at version ${event.version}, expected 1`);
    const listed = data;
    const price = toMajorMoney(listed.price);
    return {
      id: event.aggregateId,
      version: 1,
      city: listed.address.city,
      postalCode: listed.address.postalCode,
      region: listed.address.region,
      country: listed.address.country,
      status: 'listed',
      listedAt: listed.listedAt,
      listPrice: price,
      currentPrice: price,
      priceHistory: [{ at: listed.listedAt, ...price }],
      priceCuts: 0,
      offers: [],
      reservedAt: null,
      soldAt: null,
      salePrice: null,
      withdrawnAt: null,
      withdrawnPeriods: [],
      daysOnMarket: null,
      updatedAt: at,
    };
  }
  if (!current) throw new Error(`${type} v${event.version} for a property the index has never seen listed`);
  if (event.version !== current.version + 1) {
    throw new Error(`${type} v${event.version} follows v${current.version}: an event is missing`);
  }
  const next: MarketPropertyDocument = { ...current, version: event.version, updatedAt: at };
  const offerStatus = (offerId: string, status: MarketOffer['status']): MarketOffer[] =>
    current.offers.map((offer) => (offer.offerId === offerId ? { ...offer, status } : offer));
  switch (type) {
    case 'PropertyDetailsUpdated': {
      const { address } = data;
      if (!address) return next;
      const { city, postalCode, region, country } = address;
      return { ...next, city, postalCode, region, country };
    }
    case 'PriceChanged':
      return withAskingPrice(next, current, toMajorMoney(data.newPrice), at);
    case 'OfferReceived': {
      const offer = data;
      const { amount, currency } = toMajorMoney(offer.amount);
      return {
        ...next,
        offers: [
          ...current.offers,
          { offerId: offer.offerId, buyerId: offer.buyerId, amount, currency, at, status: 'pending' },
        ],
      };
    }
    case 'OfferAccepted':
      return { ...next, offers: offerStatus(data.offerId, 'accepted') };
    case 'OfferRejected':
      return { ...next, offers: offerStatus(data.offerId, 'rejected') };
    case 'OfferWithdrawn':
      return { ...next, offers: offerStatus(data.offerId, 'withdrawn') };
    case 'PropertyReserved':
      return { ...next, status: 'reserved', reservedAt: at };
    case 'ReservationReleased':
      return { ...next, status: 'listed', reservedAt: null };
    case 'PropertySold':
      return {
        ...next,
        status: 'sold',
        soldAt: at,
        salePrice: toMajorMoney(data.salePrice),
        daysOnMarket: daysOnMarket(current.listedAt, at, current.withdrawnPeriods),
      };
    case 'ListingWithdrawn': {
      const withdrawnPeriods = [...current.withdrawnPeriods, { gte: at }];
      return {
        ...next,
        status: 'withdrawn',
        withdrawnAt: at,
        withdrawnPeriods,
        daysOnMarket: daysOnMarket(current.listedAt, at, withdrawnPeriods),
      };
    }
    case 'PropertyRelisted': {
      // Back on the market: the open withdrawn period ends now, and days on market run on
      // from where they stopped (the listing date stays the first one).
      const relisted: MarketPropertyDocument = {
        ...next,
        status: 'listed',
        withdrawnAt: null,
        withdrawnPeriods: current.withdrawnPeriods.map((period) =>
          period.lt === undefined ? { ...period, lt: at } : period,
        ),
        daysOnMarket: null,
      };
      const { price } = data;
      return price ? withAskingPrice(relisted, current, toMajorMoney(price), at) : relisted;
    }
    default:
      return unhandledType(type);
  }
}

function withAskingPrice(
  next: MarketPropertyDocument,
  current: MarketPropertyDocument,
  price: MajorMoney,
  at: string,
): MarketPropertyDocument {
  return {
    ...next,
    currentPrice: price,
    priceHistory: [...current.priceHistory, { at, ...price }],
    priceCuts: current.priceCuts + (price.amount < current.currentPrice.amount ? 1 : 0),
  };
}

/**
 * The immutable market facts an applied event adds, given the document before and after
 * it (pure). At most one per event, since a fact's id is its event's id.
 */
export function marketFactsOf(
  before: MarketPropertyDocument | undefined,
  after: MarketPropertyDocument,
  event: ProjectedEvent,
): MarketFactDocument[] {
  const base = {
    propertyId: after.id,
    eventId: event.eventId,
    version: event.version,
    city: after.city,
    postalCode: after.postalCode,
    day: utcDay(event.occurredAt),
    at: event.occurredAt,
  };
  const listPrice = after.listPrice.amount;
  const typed = propertyEventOf(event);
  if (!typed) return [];
  const { type } = typed;
  switch (type) {
    case 'PropertyListed':
      return [{ ...base, kind: 'listed', currency: after.listPrice.currency, listPrice }];
    case 'PriceChanged': {
      const change = priceChange(before, after);
      if (!change) return [];
      return [
        { ...base, kind: change.priceChange === 'cut' ? 'price-cut' : 'price-raise', ...change, listPrice },
      ];
    }
    case 'PropertySold': {
      const sale = after.salePrice as MajorMoney;
      // A ratio across currencies would need an exchange rate; the domain never allows it anyway.
      const comparable = sale.currency === after.listPrice.currency && listPrice > 0;
      return [
        {
          ...base,
          kind: 'sold',
          currency: sale.currency,
          listPrice,
          salePrice: sale.amount,
          ...(comparable ? { saleToListRatio: sale.amount / listPrice } : {}),
          daysOnMarket: after.daysOnMarket ?? 0,
        },
      ];
    }
    case 'ListingWithdrawn':
      return [
        {
          ...base,
          kind: 'withdrawn',
          currency: after.currentPrice.currency,
          listPrice,
          daysOnMarket: after.daysOnMarket ?? 0,
        },
      ];
    case 'PropertyRelisted':
      return [
        {
          ...base,
          kind: 'relisted',
          currency: after.currentPrice.currency,
          listPrice,
          ...priceChange(before, after),
        },
      ];
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
