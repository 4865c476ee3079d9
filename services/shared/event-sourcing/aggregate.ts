import type { DomainEvent } from '../domain/domain-event';
import type { Decider } from './decider';

/** What a repository needs of an aggregate it loads and saves. */
export interface EventSourced<E extends DomainEvent> {
  readonly id: string;
  /** Version of the last event applied (0 = no events yet). */
  readonly version: number;
  /** Version the aggregate had when it was loaded, i.e. the expected version on save. */
  readonly persistedVersion: number;
  readonly uncommittedEvents: readonly E[];
  /** Called by the repository once the events are stored. */
  markCommitted(): void;
  /** Rebuilds state from history (no event becomes uncommitted). */
  loadFromHistory(history: Iterable<E>): void;
}

/**
 * One stream's decider at work between a load and a save: its current state, its version,
 * and the events its commands raised that are not stored yet. The rules live in the
 * decider's pure functions; this only keeps track of where the stream stands.
 */
export class Aggregate<S, C, E extends DomainEvent> implements EventSourced<E> {
  private pending: E[] = [];

  private constructor(
    readonly id: string,
    private readonly decider: Decider<S, C, E>,
    private currentState: S,
    private currentVersion: number,
  ) {}

  /** A stream with no events yet (a creation command, or a load to fold history into). */
  static blank<S, C, E extends DomainEvent>(decider: Decider<S, C, E>, id: string): Aggregate<S, C, E> {
    return new Aggregate(id, decider, decider.initialState(id), 0);
  }

  /** A stream whose first `version` events left it in `state` (read from a snapshot). */
  static restored<S, C, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    id: string,
    version: number,
    state: S,
  ): Aggregate<S, C, E> {
    if (!Number.isInteger(version) || version < 1)
      throw new RangeError(`snapshot version ${version} is not a version`);
    return new Aggregate(id, decider, state, version);
  }

  get state(): S {
    return this.currentState;
  }

  get version(): number {
    return this.currentVersion;
  }

  get persistedVersion(): number {
    return this.currentVersion - this.pending.length;
  }

  get uncommittedEvents(): readonly E[] {
    return this.pending;
  }

  markCommitted(): void {
    this.pending = [];
  }

  loadFromHistory(history: Iterable<E>): void {
    for (const event of history) this.evolveWith(event);
  }

  /** Decides the command against the current state and keeps what it raises (throws DomainError to refuse). */
  execute(command: C): readonly E[] {
    const events = this.decider.decide(command, this.currentState);
    for (const event of events) {
      this.evolveWith(event);
      this.pending.push(event);
    }
    return events;
  }

  private evolveWith(event: E): void {
    this.currentState = this.decider.evolve(this.currentState, event);
    this.currentVersion += 1;
  }
}
