import type { Migration } from 'kysely';
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

/** The property service's schema: its event store, outbox and idempotency keys. */
export const propertyMigrations: Record<string, Migration> = {
  '0001_event_store': {
    up: (db) => createEventStoreTables(db, 'property'),
    down: (db) => dropEventStoreTables(db, 'property'),
  },
  '0002_relay_heartbeat': {
    up: (db) => createRelayHeartbeatTable(db, 'property'),
    down: (db) => dropRelayHeartbeatTable(db, 'property'),
  },
  '0003_saga_inbox': {
    up: (db) => createInboxTable(db, 'property'),
    down: (db) => dropInboxTable(db, 'property'),
  },
  '0004_retention_indexes': {
    up: (db) => createRetentionIndexes(db, 'property', ['inbox', 'idempotency_keys']),
    down: (db) => dropRetentionIndexes(db, 'property', ['inbox', 'idempotency_keys']),
  },
  '0005_outbox_actor': {
    up: (db) => addOutboxActorColumn(db, 'property'),
    down: (db) => dropOutboxActorColumn(db, 'property'),
  },
  '0006_snapshots': {
    up: (db) => createSnapshotsTable(db, 'property'),
    down: (db) => dropSnapshotsTable(db, 'property'),
  },
  '0007_agent_cards': {
    // The agents' cards learned from people.events (see services/property/handlers/agent-cards.ts).
    up: (db) =>
      db.schema
        .withSchema('property')
        .createTable('agent_cards')
        .addColumn('agent_id', 'text', (c) => c.primaryKey())
        .addColumn('person_version', 'integer', (c) => c.notNull())
        .addColumn('name', 'jsonb')
        .addColumn('email', 'jsonb')
        .addColumn('phone', 'jsonb')
        .addColumn('agency', 'text')
        .execute(),
    down: (db) => db.schema.withSchema('property').dropTable('agent_cards').ifExists().execute(),
  },
};
