import type { Kysely } from 'kysely';
import { propertyTopic } from '../property/published';
import { commandChannel, replyChannel } from '../shared/messaging/channels';
import type { DeadLetter, DeadLetterSource } from '../shared/messaging/dead-letters';
import { participants } from '../transaction/transaction-service';
import { replyConsumer } from '../transaction/purchase-orchestrator';
import type { TransactionTables } from '../transaction/transaction-tables';
import { peopleTopic } from '../people/published';
import type { AgentCardTables } from '../property/agent-cards-table';

/** Every schema's inbox has the messaging tables' shape; the transaction and property schemas have the rest. */
export type DeadLetterTables = TransactionTables & AgentCardTables;
type Database = Kysely<DeadLetterTables>;

/** A consumer that claims each message id in its service's inbox: handled = claimed. */
function inboxSource(db: Database, schema: string, consumer: string, topics: string[]): DeadLetterSource {
  const inbox = db.withSchema(schema);
  return {
    consumer,
    topics,
    handled: async (letter: DeadLetter) =>
      letter.messageId !== undefined &&
      (await inbox
        .selectFrom('inbox')
        .select('message_id')
        .where('consumer', '=', consumer)
        .where('message_id', '=', letter.messageId)
        .executeTakeFirst()) !== undefined,
  };
}

/**
 * Every message consumer of the purchase saga whose poison messages go to a DLQ
 * (`npm run messages -- dlq list|replay <consumer>`); projections have their own
 * (`npm run projections -- dlq …`).
 */
export function deadLetterSources(db: Database): DeadLetterSource[] {
  const offers = db.withSchema('transaction');
  const cards = db.withSchema('property');
  return [
    ...['property', ...participants.filter((p) => p !== 'property')].map((service) =>
      inboxSource(db, service, commandChannel(service), [commandChannel(service)]),
    ),
    inboxSource(db, 'transaction', replyConsumer, participants.map(replyChannel)),
    {
      // Known offers keep a version guard per property instead of an inbox.
      consumer: 'transaction.known-offers',
      topics: [propertyTopic],
      handled: async (letter) => {
        const seen = await offers
          .selectFrom('known_properties')
          .select('version')
          .where('property_id', '=', letter.key)
          .executeTakeFirst();
        return seen !== undefined && letter.version !== undefined && seen.version >= letter.version;
      },
    },
    {
      // The property service's agent cards keep a version guard per person.
      consumer: 'property.agent-cards',
      topics: [peopleTopic],
      handled: async (letter) => {
        const seen = await cards
          .selectFrom('agent_cards')
          .select('person_version')
          .where('agent_id', '=', letter.key)
          .executeTakeFirst();
        return seen !== undefined && letter.version !== undefined && seen.person_version >= letter.version;
      },
    },
  ];
}
