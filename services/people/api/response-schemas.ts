import { z } from 'zod';
import { instantSchema } from '../../shared/http/openapi/common-schemas';

/** The answer to PUT and DELETE: the version made and the token the read models wait for. */
export const personAccepted = z.strictObject({
  id: z.string(),
  version: z.number().int().positive(),
  consistencyToken: z.string().meta({ description: '"<id>@<version>".' }),
});

/** The whole profile, for its person and for ops. */
export const personProfile = z.strictObject({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  agency: z.string().nullable(),
  licenceNumber: z.string().nullable(),
  agent: z.boolean().meta({ description: 'Whether the person is an agent (has a public card).' }),
  registeredAt: instantSchema,
});

/** What anyone sees of an agent. */
export const agentPublicCard = z.strictObject({
  id: z.string(),
  name: z.string(),
  agency: z.string().nullable(),
  agent: z.literal(true),
});

/** GET /people/:id: the whole profile (the person, ops) or an agent's public card (anyone). */
export const personRepresentation = z.union([personProfile, agentPublicCard]);
