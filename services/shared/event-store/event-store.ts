import type { CommandContext } from '../domain/command-context';
import type { DomainEvent, RecordedEvent } from '../domain/domain-event';

export interface ReadOptions {
  /** Only events up to this stream version (time travel by version). */
  toVersion?: number;
  /** Only events that occurred at or before this instant (time travel by time). */
  asOf?: Date;
  /** Only events after this version (what a snapshot taken at that version lacks). */
  afterVersion?: number;
}

/** What an append stored: the stream's new versions and the ids its events got. */
export interface SavedEvents {
  streamId: string;
  fromVersion: number;
  toVersion: number;
  eventIds: string[];
}

/**
 * Extra writes that must commit or roll back together with the events (idempotency records,
 * the inbox), given the store's transaction `Tx`.
 */
export type InSameTransaction<Tx> = (tx: Tx, saved: SavedEvents) => Promise<void>;

/**
 * The events of one stream type: appended under an expected version, read back in order
 * and upcast to their newest schema. Two stores keep this promise, checked by one contract
 * suite (test/support/event-store-contract.ts): Postgres, where an append also writes the
 * outbox rows, and memory, for tests that need no database.
 */
export interface EventStore<E extends DomainEvent, Tx> {
  readonly streamType: string;
  /**
   * Appends `events` after `expectedVersion`, and runs `alsoWrite` in the same transaction.
   * Throws ConcurrencyError if the stream is not at that version; nothing is written then,
   * nor when `alsoWrite` throws.
   */
  append(
    streamId: string,
    expectedVersion: number,
    events: readonly E[],
    context: CommandContext,
    alsoWrite?: InSameTransaction<Tx>,
  ): Promise<SavedEvents>;
  /** The stream's events in order ([] for a stream that has none). */
  read(streamId: string, options?: ReadOptions): Promise<RecordedEvent<E>[]>;
  /** One page of a stream's history, after `afterVersion`. */
  page(streamId: string, afterVersion: number, limit: number): Promise<RecordedEvent<E>[]>;
  /** Every event of every stream after a global position, in the order they were stored. */
  readAll(afterPosition: bigint, limit: number): Promise<RecordedEvent<E>[]>;
}
