import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../domain/command-context';
import type { DomainEvent, RecordedEvent } from '../domain/domain-event';
import { ConcurrencyError } from '../errors/concurrency-error';
import { Upcasters } from '../codec/upcasters';
import type { EventStore, InSameTransaction, ReadOptions, SavedEvents } from './event-store';

/**
 * The transaction of an in-memory append: writes that must land with the events register
 * here and run only once the append commits, so a refused append leaves them undone too.
 */
export class InMemoryTransaction {
  private readonly checks: Array<() => void> = [];
  private readonly effects: Array<() => void> = [];

  /** Runs just before the commit, with nothing else in between: throwing refuses the whole append. */
  beforeCommit(check: () => void): void {
    this.checks.push(check);
  }

  onCommit(effect: () => void): void {
    this.effects.push(effect);
  }

  /** The store's commit: every check, then the events (`store`), then every effect. */
  commit(store: () => void): void {
    for (const check of this.checks) check();
    store();
    for (const effect of this.effects) effect();
  }
}

/**
 * An event store in this process's memory, for tests that exercise a service's behaviour
 * without a database: it keeps the same promises as PostgresEventStore (the contract suite
 * runs against both), but writes no outbox, so nothing it stores ever reaches Kafka. Events
 * are copied in and out, as a database would, so no caller can change what was stored.
 */
export class InMemoryEventStore<E extends DomainEvent> implements EventStore<E, InMemoryTransaction> {
  private readonly streams = new Map<string, RecordedEvent<E>[]>();
  private readonly all: RecordedEvent<E>[] = [];

  constructor(
    readonly streamType: string,
    private readonly upcasters: Upcasters = new Upcasters(),
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async append(
    streamId: string,
    expectedVersion: number,
    events: readonly E[],
    context: CommandContext,
    alsoWrite?: InSameTransaction<InMemoryTransaction>,
  ): Promise<SavedEvents> {
    this.requireVersion(streamId, expectedVersion);
    const occurredAt = this.clock();
    const recorded = events.map((event, index): RecordedEvent<E> => {
      const eventId = randomUUID();
      return {
        event: structuredClone(event),
        eventId,
        streamId,
        streamType: this.streamType,
        version: expectedVersion + index + 1,
        position: 0n,
        schemaVersion: this.upcasters.currentVersion(event.type),
        occurredAt,
        metadata: {
          eventId,
          correlationId: context.correlationId,
          causationId: context.causationId,
          traceparent: context.traceparent,
          actor: context.actor,
        },
      };
    });
    const saved: SavedEvents = {
      streamId,
      fromVersion: expectedVersion + 1,
      toVersion: expectedVersion + events.length,
      eventIds: recorded.map((r) => r.eventId),
    };
    const transaction = new InMemoryTransaction();
    if (alsoWrite) {
      await alsoWrite(transaction, saved);
      // Another append may have landed while the extra writes ran: the first to commit wins.
      this.requireVersion(streamId, expectedVersion);
    }
    transaction.commit(() => {
      const stream = this.streams.get(streamId) ?? [];
      for (const event of recorded) {
        const stored = { ...event, position: BigInt(this.all.length + 1) };
        stream.push(stored);
        this.all.push(stored);
      }
      this.streams.set(streamId, stream);
    });
    return saved;
  }

  async read(streamId: string, options: ReadOptions = {}): Promise<RecordedEvent<E>[]> {
    const { toVersion, afterVersion, asOf } = options;
    return this.copies(
      (this.streams.get(streamId) ?? []).filter(
        (r) =>
          (toVersion === undefined || r.version <= toVersion) &&
          (afterVersion === undefined || r.version > afterVersion) &&
          (asOf === undefined || r.occurredAt.getTime() <= asOf.getTime()),
      ),
    );
  }

  async page(streamId: string, afterVersion: number, limit: number): Promise<RecordedEvent<E>[]> {
    return this.copies(
      (this.streams.get(streamId) ?? []).filter((r) => r.version > afterVersion).slice(0, limit),
    );
  }

  async readAll(afterPosition: bigint, limit: number): Promise<RecordedEvent<E>[]> {
    return this.copies(this.all.filter((r) => r.position > afterPosition).slice(0, limit));
  }

  private requireVersion(streamId: string, expectedVersion: number): void {
    const current = this.streams.get(streamId)?.length ?? 0;
    if (current !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion);
  }

  private copies(events: RecordedEvent<E>[]): RecordedEvent<E>[] {
    return events.map((r) => ({ ...r, event: structuredClone(r.event), occurredAt: new Date(r.occurredAt) }));
  }
}
