import { operatorActionsMigration } from '../../services/shared/db/operator-actions';
import {
  addOutboxActorColumn,
  createIdempotencyKeysTable,
  dropOutboxActorColumn,
} from '../../services/shared/event-store/migration';
import { sql, type Migration } from 'kysely';
import { createRetentionIndexes, dropRetentionIndexes } from '../../services/shared/db/retention-indexes';
import { createMessagingSchema, dropServiceSchema } from '../../services/shared/messaging/inbox';

const schema = 'payment';

/** The payment service: accounts with reservations, plus its inbox and outbox. */
export const paymentMigrations: Record<string, Migration> = {
  '0001_accounts': {
    up: async (db) => {
      await createMessagingSchema(db, schema);
      const s = db.schema.withSchema(schema);
      await s
        .createTable('accounts')
        .addColumn('buyer_id', 'text', (c) => c.primaryKey())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('balance_minor', 'bigint', (c) => c.notNull())
        .addColumn('reserved_minor', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        // The invariant holds in the database too: available = balance - reserved >= 0.
        .addCheckConstraint(
          'accounts_reserved_within_balance',
          sql`0 <= reserved_minor AND reserved_minor <= balance_minor`,
        )
        .execute();
      await s
        .createTable('fund_reservations')
        .addColumn('transaction_id', 'text', (c) => c.primaryKey())
        .addColumn('buyer_id', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status IN ('RESERVED', 'RELEASED', 'CAPTURED')`),
        )
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
    down: (db) => dropServiceSchema(db, schema),
  },
  '0002_retention_indexes': {
    up: (db) => createRetentionIndexes(db, schema, ['inbox']),
    down: (db) => dropRetentionIndexes(db, schema, ['inbox']),
  },
  '0003_outbox_actor': {
    up: (db) => addOutboxActorColumn(db, schema),
    down: (db) => dropOutboxActorColumn(db, schema),
  },
  '0004_deposits': {
    up: async (db) => {
      // POST /accounts/:buyerId/deposits: money in (the local stand-in for a payment
      // provider), each deposit recorded with who made it, retries made safe by Idempotency-Key.
      await db.schema
        .withSchema(schema)
        .createTable('deposits')
        .addColumn('deposit_id', 'uuid', (c) => c.primaryKey())
        .addColumn('buyer_id', 'text', (c) => c.notNull().references('accounts.buyer_id'))
        .addColumn('amount_minor', 'bigint', (c) => c.notNull().check(sql`amount_minor > 0`))
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('deposited_by', 'text', (c) => c.notNull())
        .addColumn('deposited_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .withSchema(schema)
        .createIndex('deposits_buyer')
        .on('deposits')
        .columns(['buyer_id', 'deposited_at'])
        .execute();
      await createIdempotencyKeysTable(db, schema);
      await createRetentionIndexes(db, schema, ['idempotency_keys']);
    },
    down: async (db) => {
      await db.schema.withSchema(schema).dropTable('idempotency_keys').ifExists().execute();
      await db.schema.withSchema(schema).dropTable('deposits').ifExists().execute();
    },
  },
  '0005_operator_actions': operatorActionsMigration(schema, 'accounts', 'opened_by'),
};
