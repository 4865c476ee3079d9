import { z } from 'zod';
import { instantSchema, moneyJsonSchema } from '../../shared/http/openapi/common-schemas';

const location = z.strictObject({ lat: z.number(), lon: z.number() });

/** One sale the estimate used. */
export const comparableJson = z.strictObject({
  id: z.string(),
  street: z.string(),
  city: z.string(),
  location,
  propertyType: z.string(),
  areaSqm: z.number(),
  bedrooms: z.number().int(),
  bathrooms: z.number().int(),
  soldAt: instantSchema,
  salePrice: moneyJsonSchema,
  distanceKm: z.number(),
  pricePerSqm: z.number(),
  adjustedPricePerSqm: z
    .number()
    .meta({ description: 'Its price per m² moved along the market trend to asOf.' }),
  weight: z.number().meta({ description: 'Its share of the estimate; the weights add up to 1.' }),
});

/** GET /valuations/:propertyId and GET /valuations (see Valuation). */
export const valuationJson = z.strictObject({
  subject: z.strictObject({
    propertyId: z.string().nullable(),
    city: z.string(),
    propertyType: z.string(),
    areaSqm: z.number(),
    bedrooms: z.number().int(),
    bathrooms: z.number().int(),
    location,
    askingPrice: moneyJsonSchema
      .nullable()
      .meta({ description: 'A listed property’s current asking price.' }),
  }),
  method: z.literal('sales-comparison'),
  asOf: instantSchema,
  outcome: z.enum(['estimated', 'insufficient-comparables']).meta({
    description:
      '`insufficient-comparables`: fewer recent sales nearby than minimumSample; no estimate is made.',
  }),
  estimate: moneyJsonSchema.nullable(),
  band: z
    .strictObject({ low: moneyJsonSchema, high: moneyJsonSchema, confidence: z.number() })
    .nullable()
    .meta({
      description: 'Where the price should land with the given confidence (0.8: four times in five).',
    }),
  pricePerSqm: z.number().nullable(),
  sampleSize: z.number().int(),
  minimumSample: z.number().int(),
  marketTrend: z.strictObject({
    annualChange: z
      .number()
      .meta({ description: 'Fitted yearly change of price per m² in the city; 0 when not fitted.' }),
    months: z.number().int(),
    sales: z.number().int(),
    fitted: z.boolean(),
  }),
  comparables: z.array(comparableJson),
});
