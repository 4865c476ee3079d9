import type { Migration } from 'kysely';
import { createRetentionIndexes, dropRetentionIndexes } from '../../services/shared/db/retention-indexes';
import {
  addOutboxActorColumn,
  createEventStoreTables,
  createRelayHeartbeatTable,
  dropEventStoreTables,
  dropOutboxActorColumn,
  dropRelayHeartbeatTable,
} from '../../services/shared/event-store/migration';
import { createEventChain, dropEventChain } from '../../services/shared/event-store/event-chain';

/** The People service's schema: its event store, outbox and idempotency keys (keys live in `keystore`). */
export const peopleMigrations: Record<string, Migration> = {
  '0001_event_store': {
    up: (db) => createEventStoreTables(db, 'people'),
    down: (db) => dropEventStoreTables(db, 'people'),
  },
  '0002_relay_heartbeat': {
    up: (db) => createRelayHeartbeatTable(db, 'people'),
    down: (db) => dropRelayHeartbeatTable(db, 'people'),
  },
  '0003_outbox_actor': {
    up: (db) => addOutboxActorColumn(db, 'people'),
    down: (db) => dropOutboxActorColumn(db, 'people'),
  },
  '0004_retention_indexes': {
    up: (db) => createRetentionIndexes(db, 'people', ['idempotency_keys']),
    down: (db) => dropRetentionIndexes(db, 'people', ['idempotency_keys']),
  },
  '0005_event_chain': {
    up: (db) => createEventChain(db, 'people'),
    down: (db) => dropEventChain(db, 'people'),
  },
};
