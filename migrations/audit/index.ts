import { sql, type Migration } from 'kysely';
import { forbidMutation } from '../../services/shared/db/append-only';
import { dropServiceSchema } from '../../services/shared/messaging/inbox';

/**
 * The audit service's schema: one row per message that crossed Kafka (every event and every
 * saga command and reply), append-only like an event store, kept for good. Saga topics keep
 * seven days; this table is where their history outlives them. Made for any schema name, so
 * tests can have a trail of their own.
 */
export function auditMigrationsFor(schema: string): Record<string, Migration> {
  return {
    '0001_entries': {
      up: async (db) => {
        await db.schema.createSchema(schema).ifNotExists().execute();
        const s = db.schema.withSchema(schema);
        await s
          .createTable('entries')
          .addColumn('position', 'bigserial', (c) => c.primaryKey())
          // The message's id (the outbox row's, carried as the eventId header): a redelivery adds nothing.
          .addColumn('message_id', 'text', (c) => c.notNull().unique())
          .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('event', 'command', 'reply')`))
          .addColumn('topic', 'text', (c) => c.notNull())
          .addColumn('kafka_partition', 'integer', (c) => c.notNull())
          .addColumn('kafka_offset', 'bigint', (c) => c.notNull())
          .addColumn('aggregate_type', 'text', (c) => c.notNull())
          .addColumn('aggregate_id', 'text', (c) => c.notNull())
          .addColumn('sequence', 'integer', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('actor', 'text')
          .addColumn('correlation_id', 'text', (c) => c.notNull())
          .addColumn('causation_id', 'text')
          .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
          .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .execute();
        // Each query of GET /audit walks one of these in time order.
        for (const [name, columns] of [
          ['entries_aggregate', ['aggregate_type', 'aggregate_id', 'occurred_at']],
          ['entries_actor', ['actor', 'occurred_at']],
          ['entries_correlation', ['correlation_id', 'occurred_at']],
          ['entries_occurred_at', ['occurred_at']],
        ] as const) {
          await s
            .createIndex(name)
            .on('entries')
            .columns([...columns, 'position'])
            .execute();
        }
        await forbidMutation(db, {
          schema,
          table: 'entries',
          functionName: 'forbid_entry_mutation',
          what: 'the audit trail is append-only',
        });
      },
      down: (db) => dropServiceSchema(db, schema),
    },
  };
}

export const auditMigrations = auditMigrationsFor('audit');
