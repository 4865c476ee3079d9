import { operatorActionsMigration } from '../../services/shared/db/operator-actions';
import { addOutboxActorColumn, dropOutboxActorColumn } from '../../services/shared/event-store/migration';
import { sql, type Migration } from 'kysely';
import { createRetentionIndexes, dropRetentionIndexes } from '../../services/shared/db/retention-indexes';
import { createMessagingSchema, dropServiceSchema } from '../../services/shared/messaging/inbox';

const schema = 'contract';

/** The contract service: sale contracts and compliance holds, plus its inbox and outbox. */
export const contractMigrations: Record<string, Migration> = {
  '0001_contracts': {
    up: async (db) => {
      await createMessagingSchema(db, schema);
      const s = db.schema.withSchema(schema);
      await s
        .createTable('contracts')
        .addColumn('transaction_id', 'text', (c) => c.primaryKey())
        .addColumn('property_id', 'text')
        .addColumn('buyer_id', 'text')
        .addColumn('price_minor', 'bigint')
        .addColumn('currency', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('SIGNED', 'VOIDED')`))
        .addColumn('signed_at', 'timestamptz')
        .addColumn('voided_at', 'timestamptz')
        .addColumn('void_reason', 'text')
        .execute();
      // One signed contract per property at a time, whoever races for it.
      await s
        .createIndex('contracts_one_signed_per_property')
        .on('contracts')
        .column('property_id')
        .unique()
        .where(sql.ref('status'), '=', 'SIGNED')
        .execute();
      await s
        .createTable('compliance_holds')
        .addColumn('party_id', 'text', (c) => c.primaryKey())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('placed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
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
  '0004_operator_actions': operatorActionsMigration(schema, 'compliance_holds', 'placed_by'),
};
