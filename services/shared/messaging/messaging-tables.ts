import type { ColumnType } from 'kysely';
import type { OutboxTable } from '../outbox/outbox-table';

/** Messages a consumer has already acted on; the claim commits with the state change it caused. */
export interface InboxTable {
  consumer: string;
  message_id: string;
  processed_at: ColumnType<Date, Date | undefined, never>;
}

/** The tables every service that sends or receives messages has in its own schema. */
export interface MessagingTables {
  outbox: OutboxTable;
  inbox: InboxTable;
}
