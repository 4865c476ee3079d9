import type { Kysely } from 'kysely';
import type { AuditTables } from '../audit-tables';
import { encodeCursor, type AuditQuery } from './audit-query';

/** One message of the trail as GET /audit answers it. */
export interface AuditEntry {
  position: string;
  messageId: string;
  kind: 'event' | 'command' | 'reply';
  topic: string;
  partition: number;
  offset: string;
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  type: string;
  /** Who: the token subject the command that caused it ran for; null for the system's own. */
  actor: string | null;
  correlationId: string;
  causationId: string | null;
  /** In which purchase: the transaction id when the message belongs to a purchase saga. */
  purchaseId: string | null;
  occurredAt: string;
  recordedAt: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** A page of the trail in time order, with each entry's purchase when it is part of one. */
export async function readAuditTrail(db: Kysely<AuditTables>, query: AuditQuery): Promise<AuditPage> {
  const correlation = query.purchase ?? query.correlationId;
  let select = db.selectFrom('entries').selectAll();
  if (query.aggregateType) select = select.where('aggregate_type', '=', query.aggregateType);
  if (query.aggregateId) select = select.where('aggregate_id', '=', query.aggregateId);
  if (query.actor) select = select.where('actor', '=', query.actor);
  if (correlation) select = select.where('correlation_id', '=', correlation);
  if (query.kind) select = select.where('kind', '=', query.kind);
  if (query.from) select = select.where('occurred_at', '>=', query.from);
  if (query.to) select = select.where('occurred_at', '<', query.to);
  const after = query.cursor;
  if (after) {
    select = select.where((eb) =>
      eb.or([
        eb('occurred_at', '>', new Date(after.occurredAt)),
        eb.and([eb('occurred_at', '=', new Date(after.occurredAt)), eb('position', '>', after.position)]),
      ]),
    );
  }
  const rows = await select
    .orderBy('occurred_at')
    .orderBy('position')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const purchases = await purchasesAmong(db, [...new Set(page.map((row) => row.correlation_id))]);
  const entries = page.map((row): AuditEntry => ({
    position: String(row.position),
    messageId: row.message_id,
    kind: row.kind,
    topic: row.topic,
    partition: row.kafka_partition,
    offset: String(row.kafka_offset),
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    sequence: row.sequence,
    type: row.type,
    actor: row.actor,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    purchaseId: purchases.has(row.correlation_id) ? row.correlation_id : null,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
  }));
  const last = entries.at(-1);
  return {
    entries,
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ occurredAt: last.occurredAt, position: last.position })
        : null,
  };
}

/**
 * Which correlation ids are purchases: a purchase saga sends its commands with its
 * transaction id as correlation id, and the events its commands cause carry it on.
 */
async function purchasesAmong(db: Kysely<AuditTables>, correlationIds: string[]): Promise<Set<string>> {
  if (correlationIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('entries')
    .select('correlation_id')
    .distinct()
    .where('kind', '=', 'command')
    .where('correlation_id', 'in', correlationIds)
    .execute();
  return new Set(rows.map((row) => row.correlation_id));
}
