import type { Migration } from 'kysely';
import { createEventStoreTables, dropEventStoreTables } from '../../services/shared/event-store/migration';

/** The property service's schema: its event store, outbox and idempotency keys. */
export const propertyMigrations: Record<string, Migration> = {
  '0001_event_store': {
    up: (db) => createEventStoreTables(db, 'property'),
    down: (db) => dropEventStoreTables(db, 'property'),
  },
};
