import { DomainError } from '../../services/shared/errors/domain-error';
import type { DomainEvent } from '../../services/shared/domain/domain-event';
import { foldEvents, type Decider } from '../../services/shared/event-sourcing/decider';

/**
 * Given/when/then over a decider's pure functions: the history is folded with `evolve`, the
 * command decided against the result, and the outcome compared, with no store and no I/O.
 *
 *     const spec = DeciderSpecification.for(propertyDecider, 'property-1');
 *     spec.given([listed]).when({ type: 'ChangePrice', price }).then([priceChanged]);
 *     spec.given([]).when({ type: 'AcceptOffer', offerId: 'o' }).thenRefuses('property-not-found');
 */
export class DeciderSpecification<S, C, E extends DomainEvent> {
  private constructor(
    private readonly decider: Decider<S, C, E>,
    private readonly streamId: string,
  ) {}

  static for<S, C, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    streamId: string,
  ): DeciderSpecification<S, C, E> {
    return new DeciderSpecification(decider, streamId);
  }

  given(history: readonly E[]) {
    const state = foldEvents(this.decider, this.streamId, history);
    return {
      /** The state the history leaves, for a test of `evolve` alone. */
      state,
      when: (command: C) => {
        const decide = () => this.decider.decide(command, state);
        return {
          then: (expected: readonly E[]) => expect(decide()).toEqual(expected),
          /** The events and the state they lead to, for assertions beyond equality. */
          decided: (): { events: readonly E[]; state: S } => {
            const events = decide();
            return { events, state: events.reduce(this.decider.evolve, state) };
          },
          thenRefuses: (rule: string, message?: RegExp) => {
            let thrown: unknown;
            try {
              decide();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(DomainError);
            expect((thrown as DomainError).rule).toBe(rule);
            if (message) expect((thrown as DomainError).message).toMatch(message);
          },
        };
      },
    };
  }
}
