import type { ColumnType, Generated } from 'kysely';

/** One message that crossed Kafka, as the audit trail keeps it (migrations/audit). */
export interface EntriesTable {
  position: Generated<string>;
  message_id: string;
  kind: 'event' | 'command' | 'reply';
  topic: string;
  kafka_partition: number;
  kafka_offset: string;
  aggregate_type: string;
  aggregate_id: string;
  /** The aggregate version of an event; the saga's sequence number of a command or reply. */
  sequence: number;
  type: string;
  actor: string | null;
  correlation_id: string;
  causation_id: string | null;
  occurred_at: ColumnType<Date, string, never>;
  recorded_at: ColumnType<Date, never, never>;
}

export interface AuditTables {
  entries: EntriesTable;
}

export const AUDIT_SCHEMA = 'audit';
