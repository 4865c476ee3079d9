import type { Kysely } from 'kysely';
import { personEventOf } from '../../people/published';
import type { IncomingMessage } from '../../shared/messaging/incoming-message';
import { unhandledType } from '../../shared/messaging/typed-payload';
import type { CachingKeyStore } from '../../shared/privacy/caching-key-store';
import type { ListingAgentCard } from '../published/property-events';
import type { AgentCardTables } from '../agent-cards-table';

/**
 * Keeps the agent cards from `people.events` (event-carried state transfer): a profile
 * written as an agent sets the card (its envelopes copied as they are, still sealed with
 * the agent's key), anything else leaves a tombstone; an erasure also makes this process
 * forget the person's keys at once, closing the key cache window here. Events of one
 * person arrive in order; the version guard makes redelivery harmless.
 */
export function agentCardsHandler(db: Kysely<AgentCardTables>, keys?: CachingKeyStore) {
  return async (event: IncomingMessage): Promise<void> => {
    const card = cardOf(event);
    if (card === undefined) return;
    if (event.type === 'PersonErased') keys?.forgetSubject(event.key);
    await db
      .insertInto('agent_cards')
      .values({ agent_id: event.key, person_version: event.sequence, ...card })
      .onConflict((oc) =>
        oc
          .column('agent_id')
          .doUpdateSet((eb) => ({
            person_version: eb.ref('excluded.person_version'),
            name: eb.ref('excluded.name'),
            email: eb.ref('excluded.email'),
            phone: eb.ref('excluded.phone'),
            agency: eb.ref('excluded.agency'),
          }))
          .where('agent_cards.person_version', '<', (eb) => eb.ref('excluded.person_version')),
      )
      .execute();
  };
}

type CardColumns = {
  name: string | null;
  email: string | null;
  phone: string | null;
  agency: string | null;
};

const tombstone: CardColumns = { name: null, email: null, phone: null, agency: null };

/** The columns an event leaves, or undefined for an event that says nothing about cards. */
function cardOf(event: IncomingMessage): CardColumns | undefined {
  const typed = personEventOf(event);
  if (!typed) return undefined;
  switch (typed.type) {
    case 'PersonRegistered':
    case 'PersonProfileUpdated': {
      const profile = typed.data;
      if (!profile.agent) return tombstone;
      const json = (value: object | null) => (value === null ? null : JSON.stringify(value));
      return {
        name: json(profile.name),
        email: json(profile.email),
        phone: json(profile.phone),
        agency: profile.agency,
      };
    }
    case 'PersonErased':
      return tombstone;
    default:
      return unhandledType(typed);
  }
}

/** The card an agent's new listing carries, or null when the agent has none (yet). */
export async function agentCardOf(
  db: Kysely<AgentCardTables>,
  agentId: string,
): Promise<ListingAgentCard | null> {
  const row = await db
    .selectFrom('agent_cards')
    .selectAll()
    .where('agent_id', '=', agentId)
    .executeTakeFirst();
  if (!row?.name) return null;
  return { agentId, name: row.name, email: row.email, phone: row.phone, agency: row.agency };
}

/** The person version the agent's card (or tombstone) reflects, or undefined when none arrived yet. */
export async function agentCardVersion(
  db: Kysely<AgentCardTables>,
  agentId: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('agent_cards')
    .select('person_version')
    .where('agent_id', '=', agentId)
    .executeTakeFirst();
  return row?.person_version;
}
