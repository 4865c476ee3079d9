import { z } from 'zod';
import { consistencyTokenSchema } from './market-query';

/** GET /analytics/properties/:id?consistentWith=… */
export const propertyQuery = z.strictObject({ consistentWith: consistencyTokenSchema.optional() });
export const propertyId = z.string().trim().min(1, 'must not be blank').max(100, 'at most 100 characters');
