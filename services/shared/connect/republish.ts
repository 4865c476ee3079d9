import type { Kafka, Message, Producer } from 'kafkajs';
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { AvroEventCodec } from '../codec/avro-event-codec';
import type { EventsTable, EventStoreTables } from '../event-store/tables';
import { outboxRows } from '../outbox/outbox-writer';
import type { OutboxRecord, OutboxRecordFormat } from './outbox-record-format';

/** Rows read in full per query, and records produced per request. */
const PAGE = 500;

/** Marks a record as republished by a slot recovery (consumers ignore unknown headers). */
export const REPUBLISHED_HEADER = 'republishedAt';

export interface RepublishCounts {
  events: number;
  streams: number;
  messages: number;
}

/** Where republished records go (Kafka, via RecordPublisher). */
export interface RecordSink {
  publish(records: readonly OutboxRecord[]): Promise<void>;
}

/**
 * Produces records straight to Kafka in the order given, acks=all, idempotent, one request
 * at a time: within a partition they land in that order. Keys are partitioned exactly like
 * Connect's producer (murmur2 of the key bytes), so every record of an aggregate joins its
 * partition.
 */
export class RecordPublisher implements RecordSink {
  private readonly producer: Producer;
  private readonly at = new Date().toISOString();

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async publish(records: readonly OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const r of records) {
      const messages = byTopic.get(r.topic) ?? [];
      messages.push({
        key: r.key,
        value: r.value,
        headers: { ...withoutNulls(r.headers), [REPUBLISHED_HEADER]: this.at },
      });
      byTopic.set(r.topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

// Connect sends a NULL column as a null header; kafkajs cannot write one, so it is left out.
// Consumers read both the same way (`header()` answers undefined).
function withoutNulls(headers: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

/** The aggregate types (hence topics) of the events stored since `since`. */
export async function eventStreamTypesSince(db: Kysely<EventStoreTables>, since: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select('stream_type')
    .distinct()
    .where('occurred_at', '>=', since)
    .execute();
  return rows.map((r) => r.stream_type);
}

/** The route values (aggregatetype) of the outbox rows created since `since`. */
export async function outboxRouteValuesSince(
  db: Kysely<EventStoreTables>,
  since: Date,
  excludeEvents: boolean,
): Promise<string[]> {
  let query = db.selectFrom('outbox').select('aggregatetype').distinct().where('created_at', '>=', since);
  if (excludeEvents) query = query.where(isNotAnEvent);
  return (await query.execute()).map((r) => r.aggregatetype);
}

/**
 * Event-sourced services: every event stored since `since` whose id is not among
 * `relayed` is encoded again from the events table (the source of truth; its outbox row
 * may already be gone) with the schema version it was stored with, and published with
 * its own id, key and headers, in store order (so each aggregate's versions stay in order).
 * Ids come first (cheap); only the missing events are read in full.
 */
export async function republishEvents(
  db: Kysely<EventStoreTables>,
  codec: AvroEventCodec,
  format: OutboxRecordFormat,
  publisher: RecordSink,
  since: Date,
  relayed: ReadonlySet<string>,
): Promise<Pick<RepublishCounts, 'events' | 'streams'>> {
  const candidates = await db
    .selectFrom('events')
    .select('event_id')
    .where('occurred_at', '>=', since)
    .orderBy('position')
    .execute();
  const missing = candidates.map((e) => e.event_id).filter((id) => !relayed.has(id));
  const streams = new Set<string>();
  for (const chunk of chunks(missing)) {
    const events = await db
      .selectFrom('events')
      .selectAll()
      .where('event_id', 'in', chunk)
      .orderBy('position')
      .execute();
    await publisher.publish(await Promise.all(events.map((e) => eventRecord(e, codec, format))));
    for (const e of events) streams.add(e.stream_id);
  }
  return { events: missing.length, streams: streams.size };
}

async function eventRecord(
  event: Selectable<EventsTable>,
  codec: AvroEventCodec,
  format: OutboxRecordFormat,
): Promise<OutboxRecord> {
  const payload = await codec.encode(event.event_type, event.schema_version, event.payload);
  // The same outbox row the event store wrote with the event (event-store.ts).
  const [row] = outboxRows([
    {
      id: event.event_id,
      aggregateType: event.stream_type,
      aggregateId: event.stream_id,
      type: event.event_type,
      payload,
      eventId: event.event_id,
      aggregateVersion: event.version,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.causationId ?? null,
      traceparent: event.metadata.traceparent ?? null,
      actor: event.metadata.actor ?? null,
      occurredAt: event.occurred_at,
    },
  ]);
  return format.toRecord(row!);
}

/**
 * Messages that only live in the outbox (commands and replies; for an event-sourced
 * service the rows that are not events): every retained row created since `since` whose
 * id is not among `relayed`, published as the router would, in creation order. Rows
 * housekeeping already deleted are gone: recovery must happen within the retention.
 * Ids come first, in order; only the missing rows are read in full.
 */
export async function republishOutboxRows(
  db: Kysely<EventStoreTables>,
  format: OutboxRecordFormat,
  publisher: RecordSink,
  since: Date,
  relayed: ReadonlySet<string>,
  excludeEvents: boolean,
): Promise<number> {
  let query = db.selectFrom('outbox').select('id').where('created_at', '>=', since);
  if (excludeEvents) query = query.where(isNotAnEvent);
  const candidates = await query.orderBy('created_at').orderBy('aggregate_version').orderBy('id').execute();
  const missing = candidates.map((r) => r.id).filter((id) => !relayed.has(id));
  let messages = 0;
  for (const chunk of chunks(missing)) {
    const rows = await db
      .selectFrom('outbox')
      .selectAll()
      .where('id', 'in', chunk)
      .orderBy('created_at')
      .orderBy('aggregate_version')
      .orderBy('id')
      .execute();
    await publisher.publish(rows.map((row) => format.toRecord(row)));
    messages += rows.length;
  }
  return messages;
}

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += PAGE) result.push(items.slice(i, i + PAGE));
  return result;
}

/** An outbox row that is not an event (a command or reply of an event-sourced service). */
const isNotAnEvent = (eb: ExpressionBuilder<EventStoreTables, 'outbox'>) =>
  eb.not(
    eb.exists(
      eb.selectFrom('events').select('events.event_id').whereRef('events.event_id', '=', 'outbox.event_id'),
    ),
  );
