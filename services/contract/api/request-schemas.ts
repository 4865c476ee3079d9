import { z } from 'zod';
import { identifier } from '../../shared/http/identifier';

/** GET /contracts?propertyId=… */
export const contractsQuery = z.strictObject({ propertyId: identifier });
