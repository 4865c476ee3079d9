import type { estypes } from '@elastic/elasticsearch';
import type { OfferStatus, PropertyStatus } from '../../property/published';
import type { MajorMoney } from '../../shared/domain/money';

/** One asking price the property had, from listing on (relisting at a new price included). */
export interface PricePoint {
  at: string;
  amount: number;
  currency: string;
}

export interface MarketOffer {
  offerId: string;
  buyerId: string;
  amount: number;
  currency: string;
  /** When the offer was received. */
  at: string;
  status: OfferStatus;
}

/**
 * A time the property was off the market: withdrawn at `gte`, relisted at `lt` (absent
 * while it is still withdrawn). Indexed as a `date_range`, so "was it withdrawn at the end
 * of day D" is one range query, exact even for properties withdrawn and relisted repeatedly.
 */
export interface WithdrawnPeriod {
  gte: string;
  lt?: string;
}

/** One property as market analytics sees it; `version` is the aggregate version last applied. */
export interface MarketPropertyDocument {
  id: string;
  version: number;
  city: string;
  postalCode: string;
  region: string;
  country: string;
  status: PropertyStatus;
  listedAt: string;
  /** The asking price at listing; never changes afterwards. */
  listPrice: MajorMoney;
  currentPrice: MajorMoney;
  priceHistory: PricePoint[];
  /** How many times the asking price went down (a relist at a lower price included). */
  priceCuts: number;
  offers: MarketOffer[];
  /** Set while a transaction holds the property; cleared when the reservation is released. */
  reservedAt: string | null;
  soldAt: string | null;
  salePrice: MajorMoney | null;
  /** The current withdrawal; cleared when the property is relisted. */
  withdrawnAt: string | null;
  withdrawnPeriods: WithdrawnPeriod[];
  /**
   * Whole days on the market from listing to sale or withdrawal, withdrawn periods left out;
   * null while the property is on the market (the API computes it to "now" then).
   */
  daysOnMarket: number | null;
  updatedAt: string;
}

const money = { properties: { amount: { type: 'double' }, currency: { type: 'keyword' } } } as const;

/** Explicit and strict: a field nobody declared is a bug, not a new column. */
export const marketPropertyMappings: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    version: { type: 'integer' },
    // The lowercase normalizer makes term queries on city case-insensitive.
    city: { type: 'keyword', normalizer: 'lowercase' },
    postalCode: { type: 'keyword' },
    region: { type: 'keyword' },
    country: { type: 'keyword' },
    status: { type: 'keyword' },
    listedAt: { type: 'date' },
    listPrice: money,
    currentPrice: money,
    priceHistory: {
      properties: { at: { type: 'date' }, amount: { type: 'double' }, currency: { type: 'keyword' } },
    },
    priceCuts: { type: 'integer' },
    offers: {
      properties: {
        offerId: { type: 'keyword' },
        buyerId: { type: 'keyword' },
        amount: { type: 'double' },
        currency: { type: 'keyword' },
        at: { type: 'date' },
        status: { type: 'keyword' },
      },
    },
    reservedAt: { type: 'date' },
    soldAt: { type: 'date' },
    salePrice: money,
    withdrawnAt: { type: 'date' },
    withdrawnPeriods: { type: 'date_range' },
    daysOnMarket: { type: 'integer' },
    updatedAt: { type: 'date' },
  },
};
