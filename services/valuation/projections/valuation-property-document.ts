import type { estypes } from '@elastic/elasticsearch';
import type { PropertyStatus } from '../../property/published';
import type { MajorMoney } from '../../shared/domain/money';
import type { GeoPoint } from '../estimate/valuation-subject';

/**
 * One property as valuation sees it: the features a comparable is judged on, the asking
 * price, and the sale once there is one. A sold property's details can no longer change,
 * so the features beside a sale are those it was sold with.
 */
export interface ValuationPropertyDocument {
  id: string;
  version: number;
  status: PropertyStatus;
  street: string;
  city: string;
  postalCode: string;
  location: GeoPoint;
  propertyType: string;
  areaSqm: number;
  bedrooms: number;
  bathrooms: number;
  askingPrice: MajorMoney;
  listedAt: string;
  soldAt: string | null;
  salePrice: MajorMoney | null;
  /** Kept beside the price so the market's monthly median is one aggregation. */
  salePricePerSqm: number | null;
  updatedAt: string;
}

const money = { properties: { amount: { type: 'double' }, currency: { type: 'keyword' } } } as const;

/** Explicit and strict: a field nobody declared is a bug, not a new column. */
export const valuationPropertyMappings: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    version: { type: 'integer' },
    status: { type: 'keyword' },
    street: { type: 'keyword', index: false },
    // The lowercase normalizer makes "Amsterdam" and "amsterdam" one market.
    city: { type: 'keyword', normalizer: 'lowercase' },
    postalCode: { type: 'keyword' },
    location: { type: 'geo_point' },
    propertyType: { type: 'keyword' },
    areaSqm: { type: 'double' },
    bedrooms: { type: 'integer' },
    bathrooms: { type: 'integer' },
    askingPrice: money,
    listedAt: { type: 'date' },
    soldAt: { type: 'date' },
    salePrice: money,
    salePricePerSqm: { type: 'double' },
    updatedAt: { type: 'date' },
  },
};
