import { toMajorMoney, type MajorMoney } from '../../shared/domain/money';
import type {
  PropertyDetailsUpdatedData,
  PropertyChange,
  PropertyListedData,
  PropertyRelistedData,
  PropertySoldData,
} from '../../property/published';
import { unhandledType } from '../../shared/messaging/typed-payload';
import { daysOnMarket } from './days-on-market';
import type { MarketOffer, MarketPropertyDocument } from './market-property-document';

/** The market document a listing starts, at version 1. */
export function listedMarketDocument(
  id: string,
  listed: PropertyListedData,
  at: string,
): MarketPropertyDocument {
  const price = toMajorMoney(listed.price);
  return {
    id,
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

/**
 * The market document after `change`, given the document already moved to the change's
 * version (`next`); `at` is when the change happened.
 */
export function changedMarketDocument(
  next: MarketPropertyDocument,
  change: PropertyChange,
  at: string,
): MarketPropertyDocument {
  switch (change.type) {
    case 'PropertyDetailsUpdated':
      return withAddress(next, change.data);
    case 'PriceChanged':
      return withAskingPrice(next, toMajorMoney(change.data.newPrice), at);
    case 'OfferReceived': {
      const { offerId, buyerId } = change.data;
      const { amount, currency } = toMajorMoney(change.data.amount);
      return {
        ...next,
        offers: [...next.offers, { offerId, buyerId, amount, currency, at, status: 'pending' }],
      };
    }
    case 'OfferAccepted':
      return withOfferStatus(next, change.data.offerId, 'accepted');
    case 'OfferRejected':
      return withOfferStatus(next, change.data.offerId, 'rejected');
    case 'OfferWithdrawn':
      return withOfferStatus(next, change.data.offerId, 'withdrawn');
    case 'PropertyReserved':
      return { ...next, status: 'reserved', reservedAt: at };
    case 'ReservationReleased':
      return { ...next, status: 'listed', reservedAt: null };
    case 'PropertySold':
      return sold(next, change.data, at);
    case 'ListingWithdrawn':
      return withdrawn(next, at);
    case 'PropertyRelisted':
      return relisted(next, change.data, at);
    default:
      return unhandledType(change);
  }
}

/** A moved property is counted where it is now; other details are not market data. */
function withAddress(
  document: MarketPropertyDocument,
  details: PropertyDetailsUpdatedData,
): MarketPropertyDocument {
  if (!details.address) return document;
  const { city, postalCode, region, country } = details.address;
  return { ...document, city, postalCode, region, country };
}

function withAskingPrice(
  document: MarketPropertyDocument,
  price: MajorMoney,
  at: string,
): MarketPropertyDocument {
  return {
    ...document,
    currentPrice: price,
    priceHistory: [...document.priceHistory, { at, ...price }],
    priceCuts: document.priceCuts + (price.amount < document.currentPrice.amount ? 1 : 0),
  };
}

function withOfferStatus(
  document: MarketPropertyDocument,
  offerId: string,
  status: MarketOffer['status'],
): MarketPropertyDocument {
  return {
    ...document,
    offers: document.offers.map((offer) => (offer.offerId === offerId ? { ...offer, status } : offer)),
  };
}

function sold(document: MarketPropertyDocument, sale: PropertySoldData, at: string): MarketPropertyDocument {
  return {
    ...document,
    status: 'sold',
    soldAt: at,
    salePrice: toMajorMoney(sale.salePrice),
    daysOnMarket: daysOnMarket(document.listedAt, at, document.withdrawnPeriods),
  };
}

/** Off the market: a withdrawn period opens, and days on market stop counting. */
function withdrawn(document: MarketPropertyDocument, at: string): MarketPropertyDocument {
  const withdrawnPeriods = [...document.withdrawnPeriods, { gte: at }];
  return {
    ...document,
    status: 'withdrawn',
    withdrawnAt: at,
    withdrawnPeriods,
    daysOnMarket: daysOnMarket(document.listedAt, at, withdrawnPeriods),
  };
}

/**
 * Back on the market: the open withdrawn period ends now, and days on market run on from
 * where they stopped (the listing date stays the first one).
 */
function relisted(
  document: MarketPropertyDocument,
  relisting: PropertyRelistedData,
  at: string,
): MarketPropertyDocument {
  const listedAgain: MarketPropertyDocument = {
    ...document,
    status: 'listed',
    withdrawnAt: null,
    withdrawnPeriods: document.withdrawnPeriods.map((period) =>
      period.lt === undefined ? { ...period, lt: at } : period,
    ),
    daysOnMarket: null,
  };
  return relisting.price ? withAskingPrice(listedAgain, toMajorMoney(relisting.price), at) : listedAgain;
}
