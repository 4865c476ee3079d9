import { sql, type Migration } from 'kysely';
import { createRetentionIndexes, dropRetentionIndexes } from '../../services/shared/db/retention-indexes';
import {
  createIdempotencyKeysTable,
  addOutboxActorColumn,
  dropOutboxActorColumn,
} from '../../services/shared/event-store/migration';
import { createMessagingSchema, dropServiceSchema } from '../../services/shared/messaging/inbox';

const schema = 'transaction';

/** The transaction service: purchase sagas with their step history, known offers, inbox and outbox. */
export const transactionMigrations: Record<string, Migration> = {
  '0001_sagas': {
    up: async (db) => {
      await createMessagingSchema(db, schema);
      const s = db.schema.withSchema(schema);
      await s
        .createTable('sagas')
        .addColumn('transaction_id', 'text', (c) => c.primaryKey())
        .addColumn('property_id', 'text', (c) => c.notNull())
        .addColumn('offer_id', 'text', (c) => c.notNull())
        .addColumn('buyer_id', 'text', (c) => c.notNull())
        .addColumn('price_minor', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('step', 'text')
        .addColumn('phase', 'text')
        .addColumn('awaiting_message_id', 'text')
        .addColumn('deadline_at', 'timestamptz')
        .addColumn('completed_steps', 'jsonb', (c) => c.notNull())
        .addColumn('pending_compensations', 'jsonb', (c) => c.notNull())
        .addColumn('cause', 'text')
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await s.createIndex('sagas_property').on('sagas').columns(['property_id', 'created_at']).execute();
      // The deadline sweeper's scan: only sagas that wait for something.
      await s
        .createIndex('sagas_deadline')
        .on('sagas')
        .column('deadline_at')
        .where(sql.ref('deadline_at'), 'is not', null)
        .execute();
      await s
        .createTable('saga_history')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('transaction_id', 'text', (c) => c.notNull().references('sagas.transaction_id'))
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('command', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .execute();
      await s
        .createIndex('saga_history_transaction')
        .on('saga_history')
        .columns(['transaction_id', 'id'])
        .execute();
      await s
        .createTable('known_offers')
        .addColumn('offer_id', 'text', (c) => c.primaryKey())
        .addColumn('property_id', 'text', (c) => c.notNull())
        .addColumn('buyer_id', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('property_version', 'integer', (c) => c.notNull())
        .execute();
    },
    down: (db) => dropServiceSchema(db, schema),
  },
  '0002_purchase_api_guards': {
    up: async (db) => {
      const s = db.schema.withSchema(schema);
      // Idempotency-Key on POST /transactions, stored with the saga it started.
      await createIdempotencyKeysTable(db, schema);
      await createRetentionIndexes(db, schema, ['inbox', 'idempotency_keys']);
      // One live purchase per offer: a second start (a retry without a key, a race) is a
      // 409. A compensated purchase no longer counts, so the buyer can try again.
      await s
        .createIndex('sagas_one_live_purchase_per_offer')
        .unique()
        .on('sagas')
        .column('offer_id')
        .where(sql.ref('status'), '<>', 'COMPENSATED')
        .execute();
      // The newest property version the orchestrator has consumed, per property: a client's
      // consistency token (<propertyId>@<version>) is waited for against it.
      await s
        .createTable('known_property_versions')
        .addColumn('property_id', 'text', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
    },
    down: async (db) => {
      const s = db.schema.withSchema(schema);
      await s.dropTable('known_property_versions').ifExists().execute();
      await s.dropIndex('sagas_one_live_purchase_per_offer').ifExists().execute();
      await dropRetentionIndexes(db, schema, ['inbox', 'idempotency_keys']);
      await s.dropTable('idempotency_keys').ifExists().execute();
    },
  },
  '0003_outbox_actor': {
    up: (db) => addOutboxActorColumn(db, schema),
    down: (db) => dropOutboxActorColumn(db, schema),
  },
};
