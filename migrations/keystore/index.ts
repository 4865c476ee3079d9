import { sql, type Migration } from 'kysely';

const schema = 'keystore';

/**
 * The key store of crypto-shredding: per-subject data keys (wrapped by the master key) and
 * the evidence of erasures. Its own schema, with no outbox and no heartbeat table, so no
 * Debezium connector's table list or publication reaches it.
 */
export const keystoreMigrations: Record<string, Migration> = {
  '0001_data_keys': {
    up: async (db) => {
      const s = db.schema.withSchema(schema);
      await s
        .createTable('data_keys')
        .addColumn('key_id', 'uuid', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('destroyed_at', 'timestamptz')
        .addColumn('wrapped_key', 'bytea')
        .addColumn('wrapped_with', 'text')
        // A key is either usable (material, no destruction time) or destroyed (neither).
        .addCheckConstraint(
          'data_keys_material_xor_destroyed',
          sql`(destroyed_at IS NULL) = (wrapped_key IS NOT NULL AND wrapped_with IS NOT NULL)`,
        )
        .execute();
      // At most one active key per subject: concurrent registrations converge on one.
      await s
        .createIndex('data_keys_one_active_per_subject')
        .on('data_keys')
        .column('subject_id')
        .unique()
        .where(sql.ref('destroyed_at'), 'is', null)
        .execute();
      await s
        .createIndex('data_keys_subject')
        .on('data_keys')
        .columns(['subject_id', 'created_at'])
        .execute();
    },
    down: (db) => db.schema.withSchema(schema).dropTable('data_keys').execute(),
  },
  '0002_erasure_evidence': {
    up: async (db) => {
      const s = db.schema.withSchema(schema);
      await s
        .createTable('erasure_evidence')
        .addColumn('evidence_id', 'uuid', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('erased_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('evidence', 'jsonb', (c) => c.notNull())
        .execute();
      await s
        .createIndex('erasure_evidence_subject')
        .on('erasure_evidence')
        .columns(['subject_id', 'erased_at'])
        .execute();
    },
    down: (db) => db.schema.withSchema(schema).dropTable('erasure_evidence').execute(),
  },
};
