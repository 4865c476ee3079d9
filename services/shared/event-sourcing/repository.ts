import type { Kysely } from 'kysely';
import type { CommandContext, PostgresEventStore, ReadOptions } from '../event-store/event-store';
import type { EventStoreTables } from '../event-store/tables';
import { inSpan } from '../observability/trace-context';
import type { EventSourcedAggregate } from './aggregate';
import type { DomainEvent, RecordedEvent } from './domain-event';

/** Extra writes that must commit or roll back together with the events (idempotency records, inbox). */
export type InSameTransaction = (trx: Kysely<EventStoreTables>, recorded: SavedEvents) => Promise<void>;

export interface SavedEvents {
  streamId: string;
  fromVersion: number;
  toVersion: number;
  eventIds: string[];
}

/**
 * Loads aggregates by folding their stream, and saves their new events (plus outbox rows
 * and any extra writes) in one transaction, guarded by the expected version.
 */
export class EventSourcedRepository<E extends DomainEvent, A extends EventSourcedAggregate<E>> {
  constructor(
    private readonly db: Kysely<EventStoreTables>,
    private readonly store: PostgresEventStore<E>,
    private readonly empty: (id: string) => A,
  ) {}

  /** The aggregate as of now, a past version or a past instant; undefined if it has no events then. */
  async load(id: string, options: ReadOptions = {}): Promise<A | undefined> {
    return inSpan(
      'eventstore.load',
      () => ({ 'eventstore.stream.id': id }),
      async (span) => {
        const history = await this.store.read(this.db, id, options);
        span.setAttribute('eventstore.event.count', history.length);
        if (history.length === 0) return undefined;
        const aggregate = this.empty(id);
        aggregate.loadFromHistory(history.map((recorded) => recorded.event));
        return aggregate;
      },
    );
  }

  async history(id: string, afterVersion: number, limit: number): Promise<RecordedEvent<E>[]> {
    return this.store.page(this.db, id, afterVersion, limit);
  }

  /**
   * Appends the aggregate's uncommitted events at `expectedVersion`. Throws
   * ConcurrencyError if the stream moved on; nothing is written then.
   */
  async save(
    aggregate: A,
    expectedVersion: number,
    context: CommandContext,
    alsoWrite?: InSameTransaction,
  ): Promise<SavedEvents> {
    const events = aggregate.uncommittedEvents;
    const prepared = await this.store.prepare(aggregate.id, expectedVersion, events, context);
    const saved: SavedEvents = {
      streamId: aggregate.id,
      fromVersion: expectedVersion + 1,
      toVersion: expectedVersion + events.length,
      eventIds: prepared.events.map((e) => e.metadata.eventId),
    };
    if (alsoWrite) {
      await this.db.transaction().execute(async (trx) => {
        await this.store.append(trx, prepared);
        await alsoWrite(trx, saved);
      });
    } else {
      // The append is one atomic statement; a transaction would only add round trips.
      await this.store.append(this.db, prepared);
    }
    aggregate.markCommitted();
    return saved;
  }
}
