import { z } from 'zod';

/** Ids that services receive from clients and other services (uuids, "buyer-17", …). */
export const identifier = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,100}$/, '1–100 letters, digits, ".", "_", ":" or "-"');

export const reasonBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
