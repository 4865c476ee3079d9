import type { DomainEvent } from '../domain/domain-event';

/**
 * An aggregate's behaviour as two pure functions over an immutable state: `decide` turns a
 * command into the events it raises (or refuses it with a DomainError), and `evolve` folds
 * one event into the state. Nothing here reads a clock, a database or the network, so every
 * rule is tested as given events, when a command, then events (see DeciderSpecification).
 */
export interface Decider<State, Command, Event extends DomainEvent> {
  /** The state of a stream that has no events yet. */
  initialState(streamId: string): State;
  /** The state after one more event. Events are facts: never validates, never throws. */
  evolve(state: State, event: Event): State;
  /** The events a command raises in this state; throws DomainError to refuse it. */
  decide(command: Command, state: State): readonly Event[];
}

/** The state after a history of events, from the stream's initial state. */
export function foldEvents<S, C, E extends DomainEvent>(
  decider: Decider<S, C, E>,
  streamId: string,
  history: Iterable<E>,
): S {
  let state = decider.initialState(streamId);
  for (const event of history) state = decider.evolve(state, event);
  return state;
}
