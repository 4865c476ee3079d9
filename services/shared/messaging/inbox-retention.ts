import type { Kysely } from 'kysely';
import type { RetentionConfig } from '../config/retention';
import { tableSubset } from '../db/table-subset';
import type { RetentionRule } from '../service/housekeeping';
import type { InboxTable } from './messaging-tables';

const inboxTables = tableSubset<{ inbox: InboxTable }>();

/** The inbox: a message id must outlive every chance of the message being delivered again. */
export function inboxRetention<DB extends { inbox: InboxTable }>(
  db: Kysely<DB>,
  config: RetentionConfig,
): RetentionRule {
  return {
    table: 'inbox',
    keepHours: config.INBOX_RETENTION_HOURS,
    deleteOlderThan: async (cutoff) => {
      const result = await inboxTables(db)
        .deleteFrom('inbox')
        .where('processed_at', '<', cutoff)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
