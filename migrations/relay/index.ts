import type { Migration } from 'kysely';
import {
  createRelayHeartbeatTable,
  dropRelayHeartbeatTable,
} from '../../services/shared/event-store/migration';

const schema = 'relay';

/**
 * The outbox relay of the database: one Debezium connector reads the outbox tables of every
 * service schema in this database (connectors/outbox-relay.json) through one replication slot,
 * and beats on this schema's table so the slot advances while every outbox is quiet.
 */
export const relayMigrations: Record<string, Migration> = {
  '0001_heartbeat': {
    up: (db) => createRelayHeartbeatTable(db, schema),
    down: (db) => dropRelayHeartbeatTable(db, schema),
  },
};
