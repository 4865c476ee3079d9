import { z } from 'zod';

const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

/** PUT /people/me: the whole profile (a field left out is removed). */
export const profileBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()./-]{6,30}$/, 'a phone number such as +31 20 123 4567')
    .nullable()
    .optional(),
  agency: optionalText(200).meta({ description: 'Agents only: the agency they work for.' }),
  licenceNumber: optionalText(50).meta({ description: 'Agents only: their licence number.' }),
});
