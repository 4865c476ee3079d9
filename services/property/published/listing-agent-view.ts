import { z } from 'zod';
import type { FieldCipher } from '../../shared/privacy/field-cipher';
import type { ListingAgentCard } from './property-events';

/**
 * A listing agent's public card as read models show it: the name decrypted at read time
 * with the agent's key, or `erased` once that key is destroyed (then nothing of the
 * person is shown, the agency neither). E-mail and phone are never part of the public card.
 */
export const publicAgentCardJson = z.strictObject({
  agentId: z.string(),
  name: z.string().nullable().meta({ description: 'Null once the agent was erased.' }),
  agency: z.string().nullable(),
  erased: z.boolean().meta({ description: 'The agent was erased: nothing of them is shown.' }),
});

export type PublicAgentCard = z.infer<typeof publicAgentCardJson>;

/** The public card of a listing's agent; a destroyed key reads as erased, never as an error. */
export async function publicAgentCard(
  cipher: FieldCipher,
  card: Pick<ListingAgentCard, 'agentId' | 'name' | 'agency'> | null,
): Promise<PublicAgentCard | null> {
  if (!card) return null;
  const name = await cipher.decrypt(card.name, 'name');
  if (name.kind === 'erased') return { agentId: card.agentId, name: null, agency: null, erased: true };
  return { agentId: card.agentId, name: name.value, agency: card.agency, erased: false };
}
