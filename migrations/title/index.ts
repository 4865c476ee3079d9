import { operatorActionsMigration } from '../../services/shared/db/operator-actions';
import { addOutboxActorColumn, dropOutboxActorColumn } from '../../services/shared/event-store/migration';
import { sql, type Migration } from 'kysely';
import { createRetentionIndexes, dropRetentionIndexes } from '../../services/shared/db/retention-indexes';
import { createMessagingSchema, dropServiceSchema } from '../../services/shared/messaging/inbox';

const schema = 'title';

/** The title registry: who owns each property, its transfers and liens, plus inbox and outbox. */
export const titleMigrations: Record<string, Migration> = {
  '0001_titles': {
    up: async (db) => {
      await createMessagingSchema(db, schema);
      const s = db.schema.withSchema(schema);
      await s
        .createTable('titles')
        .addColumn('property_id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await s
        .createTable('title_transfers')
        .addColumn('transaction_id', 'text', (c) => c.primaryKey())
        .addColumn('property_id', 'text', (c) => c.notNull())
        .addColumn('from_owner', 'text')
        .addColumn('to_owner', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('TRANSFERRED', 'REVERTED')`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await s
        .createTable('liens')
        .addColumn('property_id', 'text', (c) => c.notNull())
        .addColumn('lien_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('placed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('liens_pk', ['property_id', 'lien_id'])
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
  '0004_operator_actions': operatorActionsMigration(schema, 'liens', 'placed_by'),
};
