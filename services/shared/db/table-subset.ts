import type { Kysely } from 'kysely';

/**
 * The same pool seen through some of its tables, for shared code that needs only those
 * (the outbox, the inbox, idempotency keys). Kysely's database type is invariant, so a
 * Kysely<PropertyTables> is not a Kysely<MessagingTables> to the compiler although it has
 * every one of those tables; `DB extends Tables` is the check that it does, and this is
 * the one place that tells the compiler so.
 *
 * @example
 * const messagingTables = tableSubset<MessagingTables>();
 * await claimMessage(messagingTables(propertyDb), 'property.commands', messageId);
 */
export function tableSubset<Tables>(): <DB extends Tables>(db: Kysely<DB>) => Kysely<Tables> {
  return (db) => db as unknown as Kysely<Tables>;
}
