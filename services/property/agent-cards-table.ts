import type { JSONColumnType } from 'kysely';
import type { EncryptedField } from '../shared/privacy/encrypted-field';

/**
 * The property service's own copy of every agent's card, learned from `people.events`
 * (the People service's published events, never its storage). A row without a name is a
 * tombstone: the person is erased or no longer an agent, and `person_version` keeps a
 * redelivered older event from bringing the card back.
 */
export interface AgentCardsTable {
  agent_id: string;
  /** The person stream's version this row reflects. */
  person_version: number;
  name: JSONColumnType<EncryptedField> | null;
  email: JSONColumnType<EncryptedField> | null;
  phone: JSONColumnType<EncryptedField> | null;
  agency: string | null;
}

export interface AgentCardTables {
  agent_cards: AgentCardsTable;
}
