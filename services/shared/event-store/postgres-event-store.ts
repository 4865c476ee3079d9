import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AvroEventCodec } from '../codec/avro-event-codec';
import type { CommandContext } from '../domain/command-context';
import type { DomainEvent, EventMetadata, RecordedEvent } from '../domain/domain-event';
import type { SnapshotTables, StoredSnapshot } from './tables';
import type { OutboxMessage } from '../outbox/outbox-message';
import { outboxRows } from '../outbox/outbox-writer';
import { CompiledOnce } from '../db/compiled-once';
import { isUniqueViolation } from '../db/postgres-errors';
import { activeTraceparent, CORRELATION_ID_ATTRIBUTE, inSpan } from '../observability/trace-context';
import { ConcurrencyError } from '../errors/concurrency-error';
import type { EventStoreTables } from './tables';
import { Upcasters } from '../codec/upcasters';
import type { EventStore, InSameTransaction, ReadOptions, SavedEvents } from './event-store';

/** Events encoded and stamped, ready to be written inside a transaction. */
interface PreparedAppend<E extends DomainEvent = DomainEvent> {
  streamId: string;
  expectedVersion: number;
  events: ReadonlyArray<{
    event: E;
    metadata: EventMetadata;
    schemaVersion: number;
    occurredAt: Date;
    avro: Buffer;
  }>;
}

/** The load's query (see readFromSnapshot): every command on an existing stream and every GET runs it. */
const readFromSnapshotQuery = new CompiledOnce(
  (db: Kysely<EventStoreTables & SnapshotTables>, { streamId }: { streamId: string }) =>
    db
      .selectFrom('events')
      .leftJoin('snapshots', (join) =>
        join
          .onRef('snapshots.stream_id', '=', 'events.stream_id')
          .onRef('snapshots.version', '=', 'events.version'),
      )
      // Named columns: it runs as a prepared statement, whose result type a migration adding
      // a column to events must not change.
      .select([
        'events.position',
        'events.event_id',
        'events.stream_id',
        'events.stream_type',
        'events.version',
        'events.event_type',
        'events.schema_version',
        'events.payload',
        'events.metadata',
        'events.occurred_at',
        'snapshots.format as snapshot_format',
        'snapshots.state as snapshot_state',
        'snapshots.digest as snapshot_digest',
      ])
      .where('events.stream_id', '=', streamId)
      .where('events.version', '>=', (eb) =>
        eb.fn.coalesce(
          eb
            .selectFrom('snapshots as latest')
            .select('latest.version')
            .where('latest.stream_id', '=', streamId),
          eb.lit(1),
        ),
      )
      .orderBy('events.version'),
);

/** The values of a one-event append: the event's row and its outbox row (outbox-writer.ts's columns). */
interface OneEventAppend {
  eventId: string;
  streamId: string;
  streamType: string;
  version: number;
  eventType: string;
  schemaVersion: number;
  /** The payload as JSON text (the events row). */
  json: string;
  metadata: string;
  occurredAt: Date;
  /** The payload as Avro in the Confluent wire format (the outbox row). */
  avro: Buffer;
  correlationId: string;
  causationId: string | null;
  traceparent: string | null;
  actor: string | null;
  /** ISO-8601, as the relay copies it into a header. */
  occurredAtText: string;
}

/** The append of one event, the same statement as the general one below (see append). */
const appendOneQuery = new CompiledOnce((db: Kysely<EventStoreTables>, p: OneEventAppend) =>
  db
    .with('appended', (q) =>
      q
        .insertInto('events')
        .values({
          event_id: p.eventId,
          stream_id: p.streamId,
          stream_type: p.streamType,
          version: p.version,
          event_type: p.eventType,
          schema_version: p.schemaVersion,
          payload: p.json,
          metadata: p.metadata,
          occurred_at: p.occurredAt,
        })
        .returning('position'),
    )
    .insertInto('outbox')
    .values({
      id: p.eventId,
      aggregatetype: p.streamType,
      aggregateid: p.streamId,
      type: p.eventType,
      payload: p.avro,
      event_id: p.eventId,
      aggregate_version: p.version,
      correlation_id: p.correlationId,
      causation_id: p.causationId,
      traceparent: p.traceparent,
      actor: p.actor,
      occurred_at: p.occurredAtText,
    }),
);

/** What writes in the same transaction as a Postgres append get: the transaction itself. */
export type PostgresTransaction = Kysely<EventStoreTables>;

/**
 * The event store of one service schema. An append writes the stream's new events and
 * one outbox row per event in one statement; a duplicate (stream_id, version) means
 * another writer won the race and surfaces as ConcurrencyError.
 */
export class PostgresEventStore<E extends DomainEvent = DomainEvent> implements EventStore<
  E,
  PostgresTransaction
> {
  constructor(
    private readonly db: Kysely<EventStoreTables>,
    readonly streamType: string,
    private readonly codec: AvroEventCodec,
    readonly upcasters: Upcasters = new Upcasters(),
  ) {}

  async append(
    streamId: string,
    expectedVersion: number,
    events: readonly E[],
    context: CommandContext,
    alsoWrite?: InSameTransaction<PostgresTransaction>,
  ): Promise<SavedEvents> {
    const prepared = await this.prepare(streamId, expectedVersion, events, context);
    const saved: SavedEvents = {
      streamId,
      fromVersion: expectedVersion + 1,
      toVersion: expectedVersion + events.length,
      eventIds: prepared.events.map((e) => e.metadata.eventId),
    };
    if (alsoWrite) {
      await this.db.transaction().execute(async (trx) => {
        await this.appendPrepared(trx, prepared);
        await alsoWrite(trx, saved);
      });
    } else {
      // The append is one atomic statement; a transaction would only add round trips.
      await this.appendPrepared(this.db, prepared);
    }
    return saved;
  }

  /**
   * Encodes the events as Avro (schema ids come from the registry once, then from memory)
   * before any transaction opens, so no lock is held while the registry is asked.
   */
  private async prepare(
    streamId: string,
    expectedVersion: number,
    events: readonly E[],
    context: CommandContext,
  ): Promise<PreparedAppend<E>> {
    const occurredAt = new Date();
    // The span that caused these events (an HTTP request, a consumed command): every
    // consumer of the events continues its trace through the outbox row and Kafka header.
    const traceparent = activeTraceparent() ?? context.traceparent;
    const prepared = await Promise.all(
      events.map(async (event) => {
        const schemaVersion = this.upcasters.currentVersion(event.type);
        const metadata: EventMetadata = {
          eventId: randomUUID(),
          correlationId: context.correlationId,
          causationId: context.causationId,
          traceparent,
          actor: context.actor,
        };
        const avro = await this.codec.encode(event.type, schemaVersion, event.data);
        return { event, metadata, schemaVersion, occurredAt, avro };
      }),
    );
    return { streamId, expectedVersion, events: prepared };
  }

  /**
   * Writes prepared events and their outbox rows as ONE statement: the events insert is a
   * data-modifying CTE of the outbox insert, so both commit or neither does even outside
   * an explicit transaction, in one round trip instead of BEGIN, two INSERTs and COMMIT.
   */
  private async appendPrepared(db: Kysely<EventStoreTables>, prepared: PreparedAppend<E>): Promise<void> {
    if (prepared.events.length === 0) return;
    await inSpan(
      'eventstore.append',
      () => ({
        'eventstore.stream.id': prepared.streamId,
        'eventstore.stream.type': this.streamType,
        'eventstore.event.count': prepared.events.length,
        'eventstore.expected_version': prepared.expectedVersion,
        'eventstore.event.types': [...new Set(prepared.events.map((e) => e.event.type))].join(','),
        [CORRELATION_ID_ATTRIBUTE]: prepared.events[0]?.metadata.correlationId,
      }),
      () => this.insert(db, prepared),
    );
  }

  private async insert(db: Kysely<EventStoreTables>, prepared: PreparedAppend<E>): Promise<void> {
    try {
      const [only, ...more] = prepared.events;
      if (only && more.length === 0) {
        // One event, as nearly every command raises: a statement compiled once.
        await appendOneQuery.execute(db, {
          eventId: only.metadata.eventId,
          streamId: prepared.streamId,
          streamType: this.streamType,
          version: prepared.expectedVersion + 1,
          eventType: only.event.type,
          schemaVersion: only.schemaVersion,
          json: JSON.stringify(only.event.data),
          metadata: JSON.stringify(only.metadata),
          occurredAt: only.occurredAt,
          avro: only.avro,
          correlationId: only.metadata.correlationId,
          causationId: only.metadata.causationId,
          traceparent: only.metadata.traceparent,
          actor: only.metadata.actor,
          occurredAtText: only.occurredAt.toISOString(),
        });
        return;
      }
      const events = prepared.events.map((e, index) => ({
        event_id: e.metadata.eventId,
        stream_id: prepared.streamId,
        stream_type: this.streamType,
        version: prepared.expectedVersion + index + 1,
        event_type: e.event.type,
        schema_version: e.schemaVersion,
        payload: JSON.stringify(e.event.data),
        metadata: JSON.stringify(e.metadata),
        occurred_at: e.occurredAt,
      }));
      await db
        .with('appended', (q) => q.insertInto('events').values(events).returning('position'))
        .insertInto('outbox')
        .values(outboxRows(this.outboxMessages(prepared)))
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConcurrencyError(prepared.streamId, prepared.expectedVersion);
      }
      throw error;
    }
  }

  private outboxMessages(prepared: PreparedAppend<E>): OutboxMessage[] {
    return prepared.events.map((e, index) => ({
      id: e.metadata.eventId,
      aggregateType: this.streamType,
      aggregateId: prepared.streamId,
      type: e.event.type,
      payload: e.avro,
      eventId: e.metadata.eventId,
      aggregateVersion: prepared.expectedVersion + index + 1,
      correlationId: e.metadata.correlationId,
      causationId: e.metadata.causationId,
      traceparent: e.metadata.traceparent,
      actor: e.metadata.actor,
      occurredAt: e.occurredAt,
    }));
  }

  async read(streamId: string, options: ReadOptions = {}): Promise<RecordedEvent<E>[]> {
    let query = this.db.selectFrom('events').selectAll().where('stream_id', '=', streamId);
    if (options.toVersion !== undefined) query = query.where('version', '<=', options.toVersion);
    if (options.afterVersion !== undefined) query = query.where('version', '>', options.afterVersion);
    if (options.asOf !== undefined) query = query.where('occurred_at', '<=', options.asOf);
    const rows = await query.orderBy('version').execute();
    return rows.map((row) => this.toRecorded(row));
  }

  /**
   * In ONE query (one round trip per load): the stream's events from its stored snapshot's
   * version on (every event when it has none), with the snapshot beside the event of that
   * version, which is then the first. No `snapshot` means none was found at the first
   * event's version: the stream has no snapshot (the events start at 1), or it does not
   * reach the stored one (no events, or they start later). The snapshot and the events are
   * read from the same database snapshot, so they cannot miss an append in between.
   */
  async readFromSnapshot(
    db: Kysely<EventStoreTables & SnapshotTables>,
    streamId: string,
  ): Promise<{ snapshot?: StoredSnapshot; events: RecordedEvent<E>[] }> {
    const { rows } = await readFromSnapshotQuery.execute(db, { streamId });
    const first = rows[0];
    const snapshot: StoredSnapshot | undefined =
      first &&
      first.snapshot_format !== null &&
      first.snapshot_state !== null &&
      first.snapshot_digest !== null
        ? {
            version: first.version,
            format: first.snapshot_format,
            state: first.snapshot_state,
            digest: first.snapshot_digest,
          }
        : undefined;
    return { ...(snapshot ? { snapshot } : {}), events: rows.map((row) => this.toRecorded(row)) };
  }

  async page(streamId: string, afterVersion: number, limit: number): Promise<RecordedEvent<E>[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('stream_id', '=', streamId)
      .where('version', '>', afterVersion)
      .orderBy('version')
      .limit(limit)
      .execute();
    return rows.map((row) => this.toRecorded(row));
  }

  async readAll(afterPosition: bigint, limit: number): Promise<RecordedEvent<E>[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('position', '>', afterPosition)
      .orderBy('position')
      .limit(limit)
      .execute();
    return rows.map((row) => this.toRecorded(row));
  }

  private toRecorded(row: {
    position: bigint;
    event_id: string;
    stream_id: string;
    stream_type: string;
    version: number;
    event_type: string;
    schema_version: number;
    payload: object;
    metadata: EventMetadata;
    occurred_at: Date;
  }): RecordedEvent<E> {
    const data = this.upcasters.upcast(
      row.event_type,
      row.schema_version,
      row.payload as Record<string, unknown>,
    );
    return {
      // The type column and the upcast payload together are an event of the stream's union.
      event: { type: row.event_type, data } as unknown as E,
      eventId: row.event_id,
      streamId: row.stream_id,
      streamType: row.stream_type,
      version: row.version,
      position: row.position,
      schemaVersion: this.upcasters.currentVersion(row.event_type),
      occurredAt: row.occurred_at,
      metadata: row.metadata,
    };
  }
}
