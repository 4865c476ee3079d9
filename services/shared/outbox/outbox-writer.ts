import type { Kysely } from 'kysely';
import type { OutboxTable } from './outbox-table';
import type { OutboxMessage } from './outbox-message';

/** Outbox rows for messages, in the table's column names. */
export function outboxRows(messages: readonly OutboxMessage[]) {
  return messages.map((m) => ({
    id: m.id,
    aggregatetype: m.aggregateType,
    aggregateid: m.aggregateId,
    type: m.type,
    payload: m.payload,
    event_id: m.eventId,
    aggregate_version: m.aggregateVersion,
    correlation_id: m.correlationId,
    causation_id: m.causationId,
    traceparent: m.traceparent,
    actor: m.actor,
    occurred_at: m.occurredAt.toISOString(),
  }));
}

/**
 * Outbox housekeeping: deletes rows older than `olderThan`. Safe at any age, because
 * Debezium reads the INSERT from the WAL (held by its replication slot), not the table;
 * the rows are kept a while only so people can inspect what was sent.
 */
export async function deleteOutboxOlderThan(
  db: Kysely<{ outbox: OutboxTable }>,
  olderThan: Date,
): Promise<number> {
  const result = await db.deleteFrom('outbox').where('created_at', '<', olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}
