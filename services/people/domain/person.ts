import { EventSourcedAggregate } from '../../shared/event-sourcing/aggregate';
import { DomainError } from '../../shared/errors/domain-error';
import type { PersonEvent, PersonProfileData } from '../published/people-events';

/** Where a person's stream stands: never registered, registered, or erased (and not registered since). */
export type PersonStatus = 'unregistered' | 'active' | 'erased';

/** A person's state: the profile (encrypted as the events carry it) while active. */
export interface PersonView {
  readonly id: string;
  readonly version: number;
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

/**
 * One identity's profile, event-sourced: its id is the identity provider's subject. The
 * personal values arrive already encrypted with the person's data key (encrypting needs
 * the key store, which a pure aggregate does not reach); the aggregate decides what may
 * happen. After an erasure the same identity may register again: a new registration on
 * the same stream, whose values are sealed with a new key.
 */
export class Person extends EventSourcedAggregate<PersonEvent> {
  private status: PersonStatus = 'unregistered';
  private profile: PersonProfileData | null = null;
  private registeredAt: string | null = null;
  private erasedAt: string | null = null;
  private registrations = 0;

  private constructor(id: string) {
    super(id);
  }

  /** A blank aggregate for the repository to load history into (or to register). */
  static empty(id: string): Person {
    if (id.trim() === '') throw new DomainError('person-id-required', 'A person needs an id');
    return new Person(id);
  }

  get isActive(): boolean {
    return this.status === 'active';
  }

  get personStatus(): PersonStatus {
    return this.status;
  }

  /** Registers (unregistered or erased) or replaces the profile (active). */
  writeProfile(profile: PersonProfileData, now: Date): 'registered' | 'updated' {
    if (this.status === 'active') {
      this.raise({ type: 'PersonProfileUpdated', data: copyProfile(profile) });
      return 'updated';
    }
    this.raise({
      type: 'PersonRegistered',
      data: { ...copyProfile(profile), registeredAt: now.toISOString() },
    });
    return 'registered';
  }

  /** Records the erasure (the caller destroys the key). Only an active person can be erased. */
  erase(now: Date): void {
    if (this.status === 'erased')
      throw new DomainError('person-already-erased', `person ${this.id} is erased`);
    if (this.status !== 'active')
      throw new DomainError('person-not-registered', `person ${this.id} has no profile`);
    this.raise({ type: 'PersonErased', data: { erasedAt: now.toISOString() } });
  }

  toView(): PersonView {
    return {
      id: this.id,
      version: this.version,
      status: this.status,
      profile: this.profile && copyProfile(this.profile),
      registeredAt: this.registeredAt,
      erasedAt: this.erasedAt,
      registrations: this.registrations,
    };
  }

  protected apply(event: PersonEvent): void {
    switch (event.type) {
      case 'PersonRegistered': {
        const { registeredAt, ...profile } = event.data;
        this.status = 'active';
        this.profile = copyProfile(profile);
        this.registeredAt = registeredAt;
        this.registrations += 1;
        return;
      }
      case 'PersonProfileUpdated':
        this.profile = copyProfile(event.data);
        return;
      case 'PersonErased':
        this.status = 'erased';
        this.profile = null;
        this.registeredAt = null;
        this.erasedAt = event.data.erasedAt;
        return;
    }
  }
}

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
