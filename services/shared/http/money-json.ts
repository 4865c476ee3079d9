import { z } from 'zod';
import { moneyFromMajor, toMajor, type Money } from '../domain/money';

/** Money as clients send it: major units (450000.5 = 450,000.50) with an ISO 4217 currency. */
export const moneyBody = z.strictObject({
  amount: z
    .number()
    .positive('must be greater than 0')
    .max(10_000_000_000_000, 'must be at most 10 trillion')
    .refine((n) => Math.round(n * 100) / 100 === n, 'at most two decimal places'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
});

/** Money as the APIs show it: major units. */
export function moneyJson(money: Money): { amount: number; currency: string } {
  return { amount: toMajor(money), currency: money.currency };
}

export function moneyFromBody(body: { amount: number; currency: string }): Money {
  return moneyFromMajor(body.amount, body.currency);
}
