import type { CommandContext } from '../domain/command-context';
import type { EventStore, InSameTransaction, ReadOptions, SavedEvents } from '../event-store/event-store';
import { inSpan } from '../observability/trace-context';
import type { EventSourced } from './aggregate';
import type { DomainEvent, RecordedEvent } from '../domain/domain-event';
import type { StoredSnapshot } from '../event-store/tables';
import type { Snapshots } from './snapshot-store';
import { messageOf } from '../errors/message-of';

export type { InSameTransaction, SavedEvents };

/** What a read-only caller (a query API) needs of a repository, whichever store is behind it. */
export interface AggregateReader<E extends DomainEvent, A> {
  load(id: string, options?: Omit<ReadOptions, 'afterVersion'>): Promise<A | undefined>;
  history(id: string, afterVersion: number, limit: number): Promise<RecordedEvent<E>[]>;
}

/** Snapshots of a repository's aggregates: where they are kept and how often one is taken. */
export interface SnapshotPolicy<E extends DomainEvent, A extends EventSourced<E>> {
  store: Snapshots<A>;
  /**
   * The stream's latest snapshot and the events from its version on, read together (in
   * Postgres one query: PostgresEventStore.readFromSnapshot), so a load costs one round trip.
   */
  readWithEvents(streamId: string): Promise<{ snapshot?: StoredSnapshot; events: RecordedEvent<E>[] }>;
  /** A snapshot is taken whenever a stream's version passes a multiple of this. */
  every: number;
  /** A stored snapshot was ignored (and will be replaced): the events decided instead. */
  onRejected(streamId: string, reason: string): void;
  /** Writing a snapshot failed; the command it followed has succeeded regardless. */
  onWriteFailed(streamId: string, error: unknown): void;
}

/**
 * Loads aggregates by folding their stream, and saves their new events (plus outbox rows
 * and any extra writes) in one transaction, guarded by the expected version. With a
 * snapshot policy, the current state starts from the stream's latest valid snapshot and
 * folds only the events after it, so a load costs the same however long the stream is;
 * time travel always folds the events themselves.
 */
export class EventSourcedRepository<
  E extends DomainEvent,
  A extends EventSourced<E>,
  Tx,
> implements AggregateReader<E, A> {
  /** Streams whose stored snapshot was rejected: the next snapshot replaces it whatever its version. */
  private readonly rejected = new Set<string>();

  constructor(
    private readonly store: EventStore<E, Tx>,
    private readonly empty: (id: string) => A,
    private readonly snapshots?: SnapshotPolicy<E, A>,
  ) {}

  /** The aggregate as of now, a past version or a past instant; undefined if it has no events then. */
  async load(id: string, options: Omit<ReadOptions, 'afterVersion'> = {}): Promise<A | undefined> {
    const current = options.toVersion === undefined && options.asOf === undefined;
    return inSpan(
      'eventstore.load',
      () => ({ 'eventstore.stream.id': id }),
      async (span) => {
        const policy = current ? this.snapshots : undefined;
        const fromSnapshot = policy ? await this.loadFromSnapshot(id, policy) : undefined;
        if (fromSnapshot?.loaded) {
          span.setAttribute('eventstore.event.count', fromSnapshot.folded);
          if (fromSnapshot.snapshotVersion !== undefined)
            span.setAttribute('eventstore.snapshot.version', fromSnapshot.snapshotVersion);
          return fromSnapshot.aggregate;
        }
        const history = await this.store.read(id, options);
        span.setAttribute('eventstore.event.count', history.length);
        if (history.length === 0) return undefined;
        // Nothing at or after the stored snapshot's version, yet the stream has events: the
        // snapshot is of a version the stream never reached.
        if (policy && fromSnapshot?.loaded === false && fromSnapshot.nothingRead)
          this.reject(id, policy, "the stream does not reach the stored snapshot's version");
        const aggregate = this.empty(id);
        aggregate.loadFromHistory(history.map((recorded) => recorded.event));
        if (policy && history.length >= policy.every)
          await this.snapshot(aggregate, policy, this.rejected.has(id));
        return aggregate;
      },
    );
  }

  /**
   * The snapshot plus the events after it, read in one query; a stream without a snapshot
   * comes back folded from that same query. Without an aggregate the caller folds every
   * event: the snapshot was rejected, the events after it do not continue it, or the query
   * found nothing (`nothingRead`: no stream, or a snapshot of a version it never reached).
   */
  private async loadFromSnapshot(
    id: string,
    policy: SnapshotPolicy<E, A>,
  ): Promise<
    | { loaded: true; aggregate: A; folded: number; snapshotVersion?: number }
    | { loaded: false; nothingRead: boolean }
  > {
    let read: Awaited<ReturnType<SnapshotPolicy<E, A>['readWithEvents']>>;
    try {
      read = await policy.readWithEvents(id);
    } catch (error) {
      // A cache that cannot be read (table missing, a query error) must not stop loads.
      policy.onRejected(id, `the snapshot could not be read: ${messageOf(error)}`);
      return { loaded: false, nothingRead: false };
    }
    const { snapshot, events } = read;
    const [first] = events;
    if (!first) return { loaded: false, nothingRead: true };
    if (!snapshot && first.version === 1) {
      // Every event of a stream that has no snapshot (yet): fold them here.
      const aggregate = this.empty(id);
      aggregate.loadFromHistory(events.map((recorded) => recorded.event));
      if (events.length >= policy.every) await this.snapshot(aggregate, policy, this.rejected.has(id));
      return { loaded: true, aggregate, folded: events.length };
    }
    // From the snapshot's own version: the stream must really have reached it (a snapshot
    // kept while the events were restored from an older backup must not invent versions).
    const continues = events.every((recorded, i) => recorded.version === first.version + i);
    if (!snapshot || !continues) {
      this.reject(
        id,
        policy,
        `the stream does not reach the snapshot's version, or its events after it do not continue it`,
      );
      return { loaded: false, nothingRead: false };
    }
    const restored = policy.store.restore(id, snapshot);
    if (!restored.found) {
      this.reject(id, policy, restored.rejected);
      return { loaded: false, nothingRead: false };
    }
    const after = events.slice(1);
    const aggregate = restored.aggregate;
    aggregate.loadFromHistory(after.map((recorded) => recorded.event));
    // A stream that grew by a whole interval without a snapshot (written by a process
    // whose snapshot writes failed) gets one now.
    if (after.length >= policy.every) await this.snapshot(aggregate, policy, false);
    return { loaded: true, aggregate, folded: after.length, snapshotVersion: restored.version };
  }

  private reject(id: string, policy: SnapshotPolicy<E, A>, reason: string): void {
    this.rejected.add(id);
    policy.onRejected(id, reason);
  }

  private async snapshot(aggregate: A, policy: SnapshotPolicy<E, A>, replace: boolean): Promise<void> {
    try {
      await policy.store.write(aggregate, replace);
      this.rejected.delete(aggregate.id);
    } catch (error) {
      policy.onWriteFailed(aggregate.id, error);
    }
  }

  async history(id: string, afterVersion: number, limit: number): Promise<RecordedEvent<E>[]> {
    return this.store.page(id, afterVersion, limit);
  }

  /**
   * Appends the aggregate's uncommitted events at `expectedVersion`. Throws
   * ConcurrencyError if the stream moved on; nothing is written then.
   */
  async save(
    aggregate: A,
    expectedVersion: number,
    context: CommandContext,
    alsoWrite?: InSameTransaction<Tx>,
  ): Promise<SavedEvents> {
    const saved = await this.store.append(
      aggregate.id,
      expectedVersion,
      aggregate.uncommittedEvents,
      context,
      alsoWrite,
    );
    aggregate.markCommitted();
    const policy = this.snapshots;
    if (policy && Math.floor(saved.toVersion / policy.every) > Math.floor(expectedVersion / policy.every))
      await this.snapshot(aggregate, policy, this.rejected.has(aggregate.id));
    return saved;
  }
}
