import { z } from 'zod';
import { identifier } from '../../shared/http/identifier';

/** The buyer is the caller; a buyerId, if given, must name the caller. */
export const startBody = z.strictObject({
  propertyId: identifier,
  offerId: identifier,
  buyerId: identifier.optional(),
});

/** GET /transactions?propertyId=… */
export const purchasesQuery = z.strictObject({ propertyId: identifier });
