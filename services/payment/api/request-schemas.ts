import { z } from 'zod';
import { identifier } from '../../shared/http/identifier';
import { moneyBody } from '../../shared/http/money-json';

/** A buyer's id in a path or a body. */
export const buyerIdParam = identifier;
export const openAccountBody = z
  .strictObject({
    /** Only an operator opens an account for someone else; a buyer's account is their own. */
    buyerId: buyerIdParam.optional(),
    /** Only an operator may open an account with money in it. */
    balance: moneyBody.optional(),
    /** The currency of an account opened empty (default EUR). */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
      .optional(),
  })
  .refine((b) => !(b.balance && b.currency && b.balance.currency !== b.currency), {
    message: 'give the currency once: balance.currency and currency differ',
    path: ['currency'],
  });
export const depositBody = z.strictObject({ amount: moneyBody });
