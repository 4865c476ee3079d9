import { sql, type Migration } from 'kysely';
import {
  createEventStoreTables,
  createRelayHeartbeatTable,
  dropEventStoreTables,
  dropRelayHeartbeatTable,
  addOutboxActorColumn,
  dropOutboxActorColumn,
} from '../../services/shared/event-store/migration';
import { createRetentionIndexes, dropRetentionIndexes } from '../../services/shared/db/retention-indexes';
import { createInboxTable, dropInboxTable } from '../../services/shared/messaging/inbox';
import {
  createSnapshotsTable,
  dropSnapshotsTable,
} from '../../services/shared/event-sourcing/snapshot-migration';
import { createEventChain, dropEventChain } from '../../services/shared/event-store/event-chain';

/**
 * The property service's schema: its event store, outbox and idempotency keys. Made for any
 * schema name: bench:commands' raw path writes the same statements to a scratch schema of
 * its own (never relayed, dropped after the run).
 */
export function propertyMigrationsFor(schema: string): Record<string, Migration> {
  return {
    '0001_event_store': {
      up: (db) => createEventStoreTables(db, schema),
      down: (db) => dropEventStoreTables(db, schema),
    },
    '0002_relay_heartbeat': {
      up: (db) => createRelayHeartbeatTable(db, schema),
      down: (db) => dropRelayHeartbeatTable(db, schema),
    },
    '0003_saga_inbox': {
      up: (db) => createInboxTable(db, schema),
      down: (db) => dropInboxTable(db, schema),
    },
    '0004_retention_indexes': {
      up: (db) => createRetentionIndexes(db, schema, ['inbox', 'idempotency_keys']),
      down: (db) => dropRetentionIndexes(db, schema, ['inbox', 'idempotency_keys']),
    },
    '0005_outbox_actor': {
      up: (db) => addOutboxActorColumn(db, schema),
      down: (db) => dropOutboxActorColumn(db, schema),
    },
    '0006_snapshots': {
      up: (db) => createSnapshotsTable(db, schema),
      down: (db) => dropSnapshotsTable(db, schema),
    },
    '0007_agent_cards': {
      // The agents' cards learned from people.events (see services/property/handlers/agent-cards.ts).
      up: (db) =>
        db.schema
          .withSchema(schema)
          .createTable('agent_cards')
          .addColumn('agent_id', 'text', (c) => c.primaryKey())
          .addColumn('person_version', 'integer', (c) => c.notNull())
          .addColumn('name', 'jsonb')
          .addColumn('email', 'jsonb')
          .addColumn('phone', 'jsonb')
          .addColumn('agency', 'text')
          .execute(),
      down: (db) => db.schema.withSchema(schema).dropTable('agent_cards').ifExists().execute(),
    },
    '0008_event_chain': {
      // Tamper evidence: each event's hash links it to the one before it in its stream.
      up: (db) => createEventChain(db, schema),
      down: (db) => dropEventChain(db, schema),
    },
    '0009_feed_records': {
      // What became of each listing feed record (services/property/feeds/feed-records-table.ts).
      up: (db) =>
        db.schema
          .withSchema(schema)
          .createTable('feed_records')
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('kafka_partition', 'integer', (c) => c.notNull())
          .addColumn('kafka_offset', 'bigint', (c) => c.notNull())
          .addColumn('listing_key', 'text')
          .addColumn('property_id', 'text')
          .addColumn('outcome', 'text', (c) =>
            c.notNull().check(sql`outcome IN ('imported', 'updated', 'unchanged', 'rejected')`),
          )
          .addColumn('reason', 'text')
          .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addPrimaryKeyConstraint('feed_records_pk', ['source', 'kafka_partition', 'kafka_offset'])
          .execute(),
      down: (db) => db.schema.withSchema(schema).dropTable('feed_records').ifExists().execute(),
    },
    '0010_feed_record_times': {
      // A record's ModificationTimestamp: one older than what was applied for its listing is stale.
      up: async (db) => {
        await db.schema
          .withSchema(schema)
          .alterTable('feed_records')
          .addColumn('modified_at', 'timestamptz')
          .execute();
        await db.schema
          .withSchema(schema)
          .createIndex('feed_records_listing')
          .on('feed_records')
          .columns(['source', 'listing_key', 'modified_at'])
          .execute();
      },
      down: async (db) => {
        await db.schema.withSchema(schema).dropIndex('feed_records_listing').ifExists().execute();
        await db.schema.withSchema(schema).alterTable('feed_records').dropColumn('modified_at').execute();
      },
    },
  };
}

export const propertyMigrations = propertyMigrationsFor('property');
