import { publicAgentCard, type PublicAgentCard } from '../../property/published';
import type { FieldCipher } from '../../shared/privacy/field-cipher';
import type { PropertySearchDocument } from '../projections/property-search-document';

type AgentFields = 'agentId' | 'agency' | 'agentName';

/** A document as the API answers it: the stored agent fields become the agent's public card. */
export type PresentedDocument<T extends PropertySearchDocument> = Omit<T, AgentFields> & {
  listingAgent: PublicAgentCard | null;
};

/**
 * Turns stored documents into answers, decrypting the agent's name now: once the agent is
 * erased (their key destroyed) the card reads `erased`, without any document rewritten.
 */
export function listingAgentPresenter(cipher: FieldCipher) {
  return async <T extends PropertySearchDocument>(document: T): Promise<PresentedDocument<T>> => {
    // A document written before listing agents existed has none of the three fields.
    const { agentId = null, agency = null, agentName = null, ...rest } = document;
    const card = agentId !== null && agentName !== null ? { agentId, name: agentName, agency } : null;
    return { ...rest, listingAgent: await publicAgentCard(cipher, card) };
  };
}
