import type { estypes } from '@elastic/elasticsearch';
import type { CalendarDay } from '../calendar-day';

export const marketFactKinds = [
  'listed',
  'price-cut',
  'price-raise',
  'sold',
  'withdrawn',
  'relisted',
] as const;
export type MarketFactKind = (typeof marketFactKinds)[number];

/**
 * One market event that happened on a day, immutable once written (id = event id). Amounts
 * are in major units of `currency`; fields that do not apply to a kind are absent.
 */
export interface MarketFactDocument {
  kind: MarketFactKind;
  propertyId: string;
  eventId: string;
  /** The aggregate version the event produced. */
  version: number;
  /** Where the property was when the event happened (an address can change later). */
  city: string;
  postalCode: string;
  /** The UTC day of `at`: what the daily buckets group by. */
  day: CalendarDay;
  at: string;
  currency: string;
  /** listed, sold, withdrawn, relisted: the asking price at the first listing. */
  listPrice?: number;
  /** price-cut, price-raise, relisted at another price: the asking price before and after. */
  oldPrice?: number;
  newPrice?: number;
  /** Whether the asking price went down or up; a relist at a lower price is a cut too. */
  priceChange?: 'cut' | 'raise';
  /** sold */
  salePrice?: number;
  saleToListRatio?: number;
  /** sold, withdrawn: days on the market until then (withdrawn periods left out). */
  daysOnMarket?: number;
}

/** Explicit and strict, like the per-property index. */
export const marketFactMappings: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    kind: { type: 'keyword' },
    propertyId: { type: 'keyword' },
    eventId: { type: 'keyword' },
    version: { type: 'integer' },
    city: { type: 'keyword', normalizer: 'lowercase' },
    postalCode: { type: 'keyword' },
    day: { type: 'date', format: 'strict_date' },
    at: { type: 'date' },
    currency: { type: 'keyword' },
    listPrice: { type: 'double' },
    oldPrice: { type: 'double' },
    newPrice: { type: 'double' },
    priceChange: { type: 'keyword' },
    salePrice: { type: 'double' },
    saleToListRatio: { type: 'double' },
    daysOnMarket: { type: 'integer' },
  },
};
