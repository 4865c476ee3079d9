import type { estypes } from '@elastic/elasticsearch';
import type { PropertyStatus } from '../../property/published';
import type { EncryptedField } from '../../shared/privacy/encrypted-field';

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
  /** The listing agent's person id, when an agent listed it (the `agent` filter). */
  agentId: string | null;
  /** The listing agent's agency (a business, in the clear: the `agency` filter). */
  agency: string | null;
  /**
   * The agent's name as the event carries it, still encrypted with the agent's key: the
   * API decrypts it per answer, so erasing the agent (destroying the key) leaves nothing
   * readable here and no document has to be rewritten. Stored, never indexed.
   */
  agentName: EncryptedField | null;
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
    agentId: { type: 'keyword' },
    agency: { type: 'keyword', normalizer: 'lowercase', fields: { text: { type: 'text' } } },
    agentName: { type: 'object', enabled: false },
  },
};
