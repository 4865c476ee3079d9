import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { infrastructureConfig } from '../service/infrastructure';
import { createDatabase } from '../db/database';
import { createEventStoreTables } from '../event-store/migration';
import type { EventStoreTables } from '../event-store/tables';
import { dropServiceSchema } from '../messaging/inbox';
import { outboxRows } from '../outbox/outbox-writer';
import { loadConnector } from './connector-file';
import { outboxRecordFormat, type OutboxRecord } from './outbox-record-format';
import { republishOutboxRows, type RecordSink } from './republish';

// A throwaway event-store schema: events, outbox (and the rest) as every service has them.
const schema = `republish_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
const admin = createDatabase<EventStoreTables>({
  connectionString: infrastructureConfig().DATABASE_URL,
  maxConnections: 2,
});
const db = admin.withSchema(schema);
const format = outboxRecordFormat(
  loadConnector('outbox-relay', path.resolve(__dirname, '../../../connectors')).config,
);

/** Collects what would be produced, in order. */
class CollectingSink implements RecordSink {
  readonly records: OutboxRecord[] = [];
  async publish(records: readonly OutboxRecord[]): Promise<void> {
    this.records.push(...records);
  }
}

const message = (key: string, version: number, createdAt: Date, channel = 'payment.replies') => {
  const id = randomUUID();
  const [row] = outboxRows([
    {
      id,
      aggregateType: channel,
      aggregateId: key,
      type: 'CommandReply',
      payload: Buffer.from(`${key}@${version}`),
      eventId: id,
      aggregateVersion: version,
      correlationId: key,
      causationId: `cause-${version}`,
      traceparent: null,
      actor: null,
      occurredAt: createdAt,
    },
  ]);
  return { ...row!, created_at: createdAt };
};

beforeAll(() => createEventStoreTables(admin as unknown as Kysely<unknown>, schema));
afterAll(async () => {
  await dropServiceSchema(admin as unknown as Kysely<unknown>, schema);
  await admin.destroy();
});

describe('republishing retained outbox rows', () => {
  it('sends every retained row since the cut-off that Kafka lacks, once each, in creation order, across pages', async () => {
    const base = Date.now() - 60_000;
    const old = message('k-old', 1, new Date(base - 3_600_000));
    // 1,200 messages (more than two pages), many sharing a millisecond as rows of one transaction do.
    const rows = Array.from({ length: 1_200 }, (_, i) =>
      message(`k-${i % 7}`, Math.floor(i / 7) + 1, new Date(base + Math.floor(i / 3))),
    );
    // An event's outbox row: republished from the events table, never from here.
    const eventId = randomUUID();
    await db
      .insertInto('events')
      .values({
        event_id: eventId,
        stream_id: 'p-1',
        stream_type: 'property',
        version: 1,
        event_type: 'PropertyListed',
        schema_version: 1,
        payload: JSON.stringify({}),
        metadata: JSON.stringify({
          eventId,
          correlationId: 'c',
          causationId: null,
          traceparent: null,
          actor: null,
        }),
      })
      .execute();
    const event = { ...message('p-1', 1, new Date(base + 5), 'property'), id: eventId, event_id: eventId };
    for (let i = 0; i < rows.length; i += 400)
      await db
        .insertInto('outbox')
        .values(rows.slice(i, i + 400))
        .execute();
    await db.insertInto('outbox').values([old, event]).execute();
    // Microseconds: Postgres keeps them, JavaScript dates do not (a paging trap).
    await sql`UPDATE ${sql.id(schema, 'outbox')} SET created_at = created_at + interval '7 microseconds'`.execute(
      admin,
    );

    const relayed = new Set(rows.filter((_, i) => i % 4 === 0).map((r) => r.id));
    const sink = new CollectingSink();
    const count = await republishOutboxRows(db, format, sink, new Date(base - 1), relayed, true);

    // Creation order: time, then the sequence a writer gave its messages, then id (uuid byte order).
    const expected = rows
      .filter((r) => !relayed.has(r.id))
      .sort(
        (a, b) =>
          a.created_at.getTime() - b.created_at.getTime() ||
          a.aggregate_version - b.aggregate_version ||
          (a.id < b.id ? -1 : 1),
      );
    expect(count).toBe(expected.length);
    expect(sink.records.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(sink.records[0]).toEqual({
      topic: 'payment.replies',
      key: expected[0]!.aggregateid,
      value: expected[0]!.payload,
      id: expected[0]!.id,
      headers: {
        id: expected[0]!.id,
        eventId: expected[0]!.id,
        eventType: 'CommandReply',
        aggregateVersion: String(expected[0]!.aggregate_version),
        correlationId: expected[0]!.correlation_id,
        causationId: expected[0]!.causation_id,
        traceparent: null,
        actor: null,
        occurredAt: expected[0]!.occurred_at,
      },
    });

    // Without the events exclusion (an outbox-only service) the event row is just another message.
    const all = new CollectingSink();
    await republishOutboxRows(db, format, all, new Date(base - 1), relayed, false);
    expect(all.records.map((r) => r.id)).toContain(eventId);
    expect(all.records).toHaveLength(expected.length + 1);
  });
});
