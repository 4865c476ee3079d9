import { z } from 'zod';
import { publicAgentCardJson } from '../../property/published';
import { moneyJsonSchema } from '../../shared/http/openapi/common-schemas';
import { propertyStatuses } from '../../property/published';

/** One property as search holds it (see PropertySearchDocument). */
export const searchDocument = z.strictObject({
  id: z.string(),
  version: z.number().int().positive(),
  status: z.enum(propertyStatuses),
  street: z.string(),
  city: z.string(),
  postalCode: z.string(),
  region: z.string(),
  country: z.string(),
  address: z.string().meta({ description: '"street, postal code city, region, country".' }),
  location: z.strictObject({ lat: z.number(), lon: z.number() }),
  price: moneyJsonSchema,
  bedrooms: z.number().int(),
  bathrooms: z.number().int(),
  areaSqm: z.number(),
  type: z.string(),
  description: z.string().nullable(),
  listedAt: z.string(),
  updatedAt: z.string(),
  priceChangeCount: z.number().int(),
  offerCount: z.number().int(),
  listingAgent: publicAgentCardJson.nullable().meta({
    description: "The listing agent's public card, decrypted when answering; null for a seller's listing.",
  }),
});

const bucket = <V extends z.ZodType>(value: V) => z.strictObject({ value, count: z.number().int() });

/** GET /search/properties (see SearchResult). */
export const searchResult = z.strictObject({
  total: z.number().int().min(0),
  items: z.array(
    searchDocument.extend({
      distanceKm: z.number().optional().meta({ description: 'From lat/lon, when given.' }),
      score: z.number().optional().meta({ description: 'When sorted by relevance.' }),
    }),
  ),
  nextCursor: z.string().nullable().meta({
    description: 'Pass as `cursor` (with the same parameters) for the next page; null on the last.',
  }),
  facets: z.strictObject({
    type: z.array(bucket(z.string())),
    bedrooms: z.array(bucket(z.number().int())),
    price: z.array(z.strictObject({ from: z.number(), to: z.number(), count: z.number().int() })),
  }),
});
