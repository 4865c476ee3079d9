import { z } from 'zod';

/** Money as every API answers it: major units and an ISO 4217 currency (see moneyJson). */
export const moneyJsonSchema = z.strictObject({
  amount: z.number().meta({ description: 'Major units: 450000.5 is 450,000.50.' }),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

/** An instant as the APIs write it (Date.toISOString). */
export const instantSchema = z.iso.datetime();

/** The headers a command's answer carries. */
export const commandHeaders = {
  idempotencyKey: {
    description:
      'Makes the request safe to retry: the first answer for this key (per caller and route) is replayed, with Idempotent-Replayed: true; the same key with another body is a 422.',
    schema: z.string().regex(/^[A-Za-z0-9._:-]{1,255}$/),
  },
  replayed: {
    description: 'true when this is the stored answer of an earlier request with the same Idempotency-Key.',
  },
} as const;
