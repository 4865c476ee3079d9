import type { DomainEvent } from '../domain/domain-event';

/**
 * Base of every event-sourced aggregate. State changes only by applying events:
 * commands validate against the current state, then `raise` an event, which is applied
 * at once and kept as uncommitted until the repository saves it.
 */
export abstract class EventSourcedAggregate<E extends DomainEvent> {
  private pending: E[] = [];
  private currentVersion = 0;

  protected constructor(readonly id: string) {}

  /** Version of the last event applied (0 = no events yet). */
  get version(): number {
    return this.currentVersion;
  }

  /** Version the aggregate had when it was loaded, i.e. the expected version on save. */
  get persistedVersion(): number {
    return this.currentVersion - this.pending.length;
  }

  get uncommittedEvents(): readonly E[] {
    return this.pending;
  }

  /** Called by the repository once the events are stored. */
  markCommitted(): void {
    this.pending = [];
  }

  /** Rebuilds state from history (no event becomes uncommitted). */
  loadFromHistory(history: Iterable<E>): void {
    for (const event of history) {
      this.apply(event);
      this.currentVersion += 1;
    }
  }

  /**
   * For a subclass that has just restored its state from a snapshot of the stream's first
   * `version` events: the aggregate continues from there.
   */
  protected restoredAt(version: number): void {
    if (this.currentVersion !== 0) throw new Error('only a blank aggregate can be restored from a snapshot');
    if (!Number.isInteger(version) || version < 1)
      throw new RangeError(`snapshot version ${version} is not a version`);
    this.currentVersion = version;
  }

  protected raise(event: E): void {
    this.apply(event);
    this.currentVersion += 1;
    this.pending.push(event);
  }

  /** Mutates state for one event. Must not validate or throw: events are facts. */
  protected abstract apply(event: E): void;
}
