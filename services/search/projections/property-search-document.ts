import type { estypes } from '@elastic/elasticsearch';
import type { PropertyStatus } from '../../property/contract';

/** One property as search sees it; `version` is the aggregate version last applied. */
export interface PropertySearchDocument {
  id: string;
  version: number;
  status: PropertyStatus;
  street: string;
  city: string;
  postalCode: string;
  region: string;
  country: string;
  /** "street, postal code city, region, country": what free text matches against. */
  address: string;
  location: { lat: number; lon: number };
  price: { amount: number; currency: string };
  bedrooms: number;
  bathrooms: number;
  areaSqm: number;
  type: string;
  description: string | null;
  listedAt: string;
  updatedAt: string;
  priceChangeCount: number;
  offerCount: number;
}

const keywordAndText = { type: 'keyword', fields: { text: { type: 'text' } } } as const;

/** Explicit and strict: a field nobody declared is a bug, not a new column. */
export const propertySearchMappings: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    version: { type: 'integer' },
    status: { type: 'keyword' },
    street: keywordAndText,
    city: { type: 'keyword', normalizer: 'lowercase', fields: { text: { type: 'text' } } },
    postalCode: { type: 'keyword' },
    region: keywordAndText,
    country: { type: 'keyword' },
    address: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 512 } } },
    location: { type: 'geo_point' },
    price: { properties: { amount: { type: 'double' }, currency: { type: 'keyword' } } },
    bedrooms: { type: 'integer' },
    bathrooms: { type: 'integer' },
    areaSqm: { type: 'double' },
    type: { type: 'keyword' },
    description: { type: 'text' },
    listedAt: { type: 'date' },
    updatedAt: { type: 'date' },
    priceChangeCount: { type: 'integer' },
    offerCount: { type: 'integer' },
  },
};
