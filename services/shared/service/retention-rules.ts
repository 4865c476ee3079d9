import type { Kysely } from 'kysely';
import type { RetentionConfig } from '../config/retention';
import { tableSubset } from '../db/table-subset';
import type { IdempotencyKeysTable } from '../event-store/tables';
import type { OutboxTable } from '../outbox/outbox-table';
import { deleteOutboxOlderThan } from '../outbox/outbox-writer';
import type { RetentionRule } from './housekeeping';

const outboxTables = tableSubset<{ outbox: OutboxTable }>();
const idempotencyTables = tableSubset<{ idempotency_keys: IdempotencyKeysTable }>();

/** The outbox: Debezium read each row from the WAL at insert; the table copy is for people. */
export function outboxRetention<DB extends { outbox: OutboxTable }>(
  db: Kysely<DB>,
  config: RetentionConfig,
): RetentionRule {
  return {
    table: 'outbox',
    keepHours: config.OUTBOX_RETENTION_HOURS,
    deleteOlderThan: (cutoff) => deleteOutboxOlderThan(outboxTables(db), cutoff),
  };
}

/** Idempotency keys: a retry after this long is a new request. */
export function idempotencyRetention<DB extends { idempotency_keys: IdempotencyKeysTable }>(
  db: Kysely<DB>,
  config: RetentionConfig,
): RetentionRule {
  return {
    table: 'idempotency_keys',
    keepHours: config.IDEMPOTENCY_RETENTION_HOURS,
    deleteOlderThan: async (cutoff) => {
      const result = await idempotencyTables(db)
        .deleteFrom('idempotency_keys')
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
