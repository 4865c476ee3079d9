import { Aggregate } from '../../shared/event-sourcing/aggregate';
import type { Decider } from '../../shared/event-sourcing/decider';
import { DomainError } from '../../shared/errors/domain-error';
import type { PersonEvent, PersonProfileData } from '../published/people-events';

/** Where a person's stream stands: never registered, registered, or erased (and not registered since). */
export type PersonStatus = 'unregistered' | 'active' | 'erased';

/** A person's state: the profile (encrypted as the events carry it) while active. */
export interface PersonState {
  readonly id: string;
  readonly status: PersonStatus;
  /** Null unless active. */
  readonly profile: PersonProfileData | null;
  /** When the current registration began (ISO 8601); null unless active. */
  readonly registeredAt: string | null;
  /** When the person was last erased; null if never. */
  readonly erasedAt: string | null;
  /** How many times the identity registered (a re-registration after an erasure counts again). */
  readonly registrations: number;
}

/** A person's state with the stream's version, as the API shows it. */
export type PersonView = PersonState & { readonly version: number };

/**
 * What can be asked of a person's stream. The personal values arrive already encrypted with
 * the person's data key (encrypting needs the key store, which a pure decider does not
 * reach); the clock is read by the caller.
 */
export type PersonCommand =
  | { readonly type: 'WriteProfile'; readonly profile: PersonProfileData; readonly now: Date }
  | { readonly type: 'Erase'; readonly now: Date };

/**
 * One identity's profile, event-sourced: its id is the identity provider's subject. A write
 * registers (unregistered or erased) or replaces the profile (active). After an erasure the
 * same identity may register again: a new registration on the same stream, whose values are
 * sealed with a new key.
 */
export const personDecider: Decider<PersonState, PersonCommand, PersonEvent> = {
  initialState: (id) => ({
    id,
    status: 'unregistered',
    profile: null,
    registeredAt: null,
    erasedAt: null,
    registrations: 0,
  }),

  decide(command, state) {
    if (command.type === 'WriteProfile') {
      const profile = copyProfile(command.profile);
      if (state.status === 'active') return [{ type: 'PersonProfileUpdated', data: profile }];
      return [{ type: 'PersonRegistered', data: { ...profile, registeredAt: command.now.toISOString() } }];
    }
    // Only an active person can be erased; the caller destroys the key.
    if (state.status === 'erased')
      throw new DomainError('person-already-erased', `person ${state.id} is erased`);
    if (state.status !== 'active')
      throw new DomainError('person-not-registered', `person ${state.id} has no profile`);
    return [{ type: 'PersonErased', data: { erasedAt: command.now.toISOString() } }];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'PersonRegistered': {
        const { registeredAt, ...profile } = event.data;
        return {
          ...state,
          status: 'active',
          profile: copyProfile(profile),
          registeredAt,
          registrations: state.registrations + 1,
        };
      }
      case 'PersonProfileUpdated':
        return { ...state, profile: copyProfile(event.data) };
      case 'PersonErased':
        return {
          ...state,
          status: 'erased',
          profile: null,
          registeredAt: null,
          erasedAt: event.data.erasedAt,
        };
    }
  },
};

/** One person's stream between a load and a save. */
export type Person = Aggregate<PersonState, PersonCommand, PersonEvent>;

/** A person with no events yet (to fold history into, or to register). */
export function blankPerson(id: string): Person {
  if (id.trim() === '') throw new DomainError('person-id-required', 'A person needs an id');
  return Aggregate.blank(personDecider, id);
}

export const personView = (person: Person): PersonView => ({ ...person.state, version: person.version });

function copyProfile(profile: PersonProfileData): PersonProfileData {
  return {
    name: { ...profile.name },
    email: { ...profile.email },
    phone: profile.phone && { ...profile.phone },
    agency: profile.agency,
    licenceNumber: profile.licenceNumber && { ...profile.licenceNumber },
    agent: profile.agent,
  };
}
