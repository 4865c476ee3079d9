import { z } from 'zod';

/**
 * The highest stream version a request may name: versions are Postgres `integer`s, and a
 * larger number reached the database as an out-of-range parameter (a 500) before this bound.
 */
export const MAX_STREAM_VERSION = 2_147_483_647;

/**
 * A whole number given as query text, within [min, max]. Query values arrive as text (an
 * array when repeated), and z.coerce would take "" for 0, "1e3" for 1000 and "0x10" for 16.
 */
export function wholeNumberParam(min: number, max: number) {
  return z
    .string({ error: 'give this parameter once, as text' })
    .trim()
    .regex(/^\d{1,16}$/, 'a whole number such as 12')
    .describe(`a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `at least ${min}`).max(max, `at most ${max}`));
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A decimal number given as query text, then checked by `check`. Like wholeNumberParam, and
 * for the same reason: z.coerce would take "" for 0 and "0x10" for 16.
 */
export function decimalParam(check: z.ZodNumber) {
  return z
    .string({ error: 'give this parameter once, as text' })
    .trim()
    .regex(DECIMAL, 'a decimal number such as 250000')
    .transform(Number)
    .pipe(check);
}
