import { z } from 'zod';
import { propertyTypes } from '../../property/published';
import { consistencyTokenParam } from '../../shared/http/read-model';

/** GET /valuations/:propertyId */
export const propertyIdParam = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(100, 'at most 100 characters');
export const listedValuationQuery = z.strictObject({ consistentWith: consistencyTokenParam.optional() });

const count = (what: string) =>
  z.coerce
    .number({ error: `${what}: a whole number` })
    .int(`${what}: a whole number`)
    .min(0)
    .max(50);

/** GET /valuations?city=…: a property described rather than listed. */
export const describedValuationQuery = z.strictObject({
  city: z.string().trim().min(1, 'must not be blank').max(100, 'at most 100 characters'),
  type: z.enum(propertyTypes, { error: `one of ${propertyTypes.join(', ')}` }),
  areaSqm: z.coerce.number({ error: 'a number of square metres' }).positive('must be above 0').max(100_000),
  bedrooms: count('bedrooms'),
  bathrooms: count('bathrooms'),
  lat: z.coerce.number({ error: 'a latitude' }).min(-90).max(90),
  lon: z.coerce.number({ error: 'a longitude' }).min(-180).max(180),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code, three uppercase letters')
    .default('EUR')
    .meta({ description: 'Comparables are sales in this currency (default EUR).' }),
});
export type DescribedValuationQuery = z.output<typeof describedValuationQuery>;
