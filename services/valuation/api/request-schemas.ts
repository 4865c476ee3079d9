import { z } from 'zod';
import { propertyTypes } from '../../property/published';
import { consistencyTokenParam } from '../../shared/http/read-model';
import { decimalParam, wholeNumberParam } from '../../shared/http/whole-number-param';

/** GET /valuations/:propertyId */
export const propertyIdParam = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(100, 'at most 100 characters');
export const listedValuationQuery = z.strictObject({ consistentWith: consistencyTokenParam.optional() });

// Query values arrive as text; z.coerce would take an empty parameter for 0.
const count = () => wholeNumberParam(0, 50);

/** GET /valuations?city=…: a property described rather than listed. */
export const describedValuationQuery = z.strictObject({
  city: z.string().trim().min(1, 'must not be blank').max(100, 'at most 100 characters'),
  type: z.enum(propertyTypes, { error: `one of ${propertyTypes.join(', ')}` }),
  areaSqm: decimalParam(z.number().positive('must be above 0').max(100_000, 'at most 100000')),
  bedrooms: count(),
  bathrooms: count(),
  lat: decimalParam(z.number().min(-90, 'from -90 to 90').max(90, 'from -90 to 90')),
  lon: decimalParam(z.number().min(-180, 'from -180 to 180').max(180, 'from -180 to 180')),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code, three uppercase letters')
    .default('EUR')
    .meta({ description: 'Comparables are sales in this currency (default EUR).' }),
});
export type DescribedValuationQuery = z.output<typeof describedValuationQuery>;
