import { sql, type Kysely } from 'kysely';
import { createOutboxTable, createRelayHeartbeatTable } from '../event-store/migration';
import type { MessagingTables } from './messaging-tables';

/** The message was processed before; the transaction that noticed it must roll back. */
export class DuplicateMessage extends Error {
  constructor(consumer: string, messageId: string) {
    super(`${consumer} already processed message ${messageId}`);
    this.name = 'DuplicateMessage';
  }
}

export async function createInboxTable(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema
    .withSchema(schema)
    .createTable('inbox')
    .addColumn('consumer', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('inbox_pk', ['consumer', 'message_id'])
    .execute();
}

export async function dropInboxTable(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema.withSchema(schema).dropTable('inbox').ifExists().execute();
}

/**
 * Records that `consumer` processed `messageId`, inside the caller's transaction. Throws
 * DuplicateMessage if it was recorded before, so the state change and the reply written
 * in the same transaction happen at most once however often the message is delivered.
 * Two concurrent deliveries serialize on the primary key: the second waits, then fails.
 */
export async function claimMessage(
  trx: Kysely<MessagingTables>,
  consumer: string,
  messageId: string,
): Promise<void> {
  const row = await trx
    .insertInto('inbox')
    .values({ consumer, message_id: messageId })
    .onConflict((oc) => oc.columns(['consumer', 'message_id']).doNothing())
    .returning('message_id')
    .executeTakeFirst();
  if (!row) throw new DuplicateMessage(consumer, messageId);
}

/**
 * Runs `work` in a transaction that first claims the message: exactly once in effect,
 * however often the message is delivered. Returns false for a message processed before.
 */
export async function inOneTransactionOnce<DB extends MessagingTables>(
  db: Kysely<DB>,
  consumer: string,
  messageId: string,
  work: (trx: Kysely<DB>) => Promise<void>,
): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      // A service's own tables extend MessagingTables; kysely's types are invariant in them.
      await claimMessage(trx as unknown as Kysely<MessagingTables>, consumer, messageId);
      await work(trx);
    });
    return true;
  } catch (error) {
    if (error instanceof DuplicateMessage) return false;
    throw error;
  }
}

/**
 * The schema of a service that talks in commands and replies: its outbox (relayed by its
 * own connector, with the heartbeat table the connector updates) and its inbox.
 */
export async function createMessagingSchema(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema.createSchema(schema).ifNotExists().execute();
  await createOutboxTable(db, schema);
  await createRelayHeartbeatTable(db, schema);
  await createInboxTable(db, schema);
}

/** Drops a service schema with everything in it (the first migration's `down`). */
export async function dropServiceSchema(db: Kysely<unknown>, schema: string): Promise<void> {
  await db.schema.dropSchema(schema).ifExists().cascade().execute();
}
