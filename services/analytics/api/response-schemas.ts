import { z } from 'zod';
import { offerStatuses, propertyStatuses } from '../../property/published';
import { moneyJsonSchema } from '../../shared/http/openapi/common-schemas';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const metrics = {
  newListings: z.number().int(),
  averageListPrice: z.number().nullable(),
  medianListPrice: z.number().nullable(),
  priceCuts: z.number().int(),
  soldCount: z.number().int(),
  medianSalePrice: z.number().nullable(),
  medianDaysOnMarket: z.number().nullable(),
  saleToListRatio: z.number().nullable(),
  withdrawnCount: z.number().int(),
  relistedCount: z.number().int(),
};

/** GET /analytics/markets/:city (see MarketReport). */
export const marketReport = z.strictObject({
  city: z.string(),
  postalCode: z.string().nullable(),
  from: day,
  to: day,
  currencies: z.array(z.string()).meta({ description: 'Amounts are averaged as they are, never converted.' }),
  days: z.array(z.strictObject({ day, activeListings: z.number().int(), ...metrics })),
  totals: z.strictObject({ ...metrics, activeListingsAtEnd: z.number().int() }),
});

/** GET /analytics/properties/:id (see MarketPropertyDocument). */
export const marketProperty = z.strictObject({
  id: z.string(),
  version: z.number().int().positive(),
  city: z.string(),
  postalCode: z.string(),
  region: z.string(),
  country: z.string(),
  status: z.enum(propertyStatuses),
  listedAt: z.string(),
  listPrice: moneyJsonSchema,
  currentPrice: moneyJsonSchema,
  priceHistory: z.array(z.strictObject({ at: z.string(), amount: z.number(), currency: z.string() })),
  priceCuts: z.number().int(),
  offers: z.array(
    z.strictObject({
      offerId: z.string(),
      amount: z.number(),
      currency: z.string(),
      at: z.string(),
      status: z.enum(offerStatuses),
    }),
  ),
  reservedAt: z.string().nullable(),
  soldAt: z.string().nullable(),
  salePrice: moneyJsonSchema.nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawnPeriods: z.array(z.strictObject({ gte: z.string(), lt: z.string().optional() })),
  daysOnMarket: z.number().int().nullable(),
  updatedAt: z.string(),
});
