import type { EncryptedField } from '../../shared/privacy/encrypted-field';
import type { PersonEvent, PersonProfileData } from '../published/people-events';
import { DeciderSpecification } from '../../../test/support/decider-specification';
import { blankPerson, personDecider, personView } from './person';

const sealed = (text: string, keyId = 'key-1'): EncryptedField => ({
  keyId,
  iv: 'AAECAwQFBgcICQoL',
  ciphertext: Buffer.from(text).toString('base64url'),
});
const profile = (keyId = 'key-1'): PersonProfileData => ({
  name: sealed('name', keyId),
  email: sealed('email', keyId),
  phone: null,
  agency: 'Grachten Makelaars',
  licenceNumber: sealed('licence', keyId),
  agent: true,
});
const now = new Date('2026-12-01T10:00:00.000Z');
const later = new Date('2026-12-02T00:00:00.000Z');

const registered = (keyId = 'key-1'): PersonEvent => ({
  type: 'PersonRegistered',
  data: { ...profile(keyId), registeredAt: now.toISOString() },
});
const erased: PersonEvent = { type: 'PersonErased', data: { erasedAt: later.toISOString() } };

const spec = DeciderSpecification.for(personDecider, 'subject-1');

describe('person decider', () => {
  it('registers on the first write', () => {
    spec.given([]).when({ type: 'WriteProfile', profile: profile(), now }).then([registered()]);
  });

  it('replaces the whole profile on the next write', () => {
    const changed = { ...profile(), agency: null };
    spec
      .given([registered()])
      .when({ type: 'WriteProfile', profile: changed, now: later })
      .then([{ type: 'PersonProfileUpdated', data: changed }]);
  });

  it('registers again after an erasure, and counts the registration', () => {
    const { events, state } = spec
      .given([registered('key-1'), erased])
      .when({ type: 'WriteProfile', profile: profile('key-2'), now })
      .decided();
    expect(events.map((e) => e.type)).toEqual(['PersonRegistered']);
    expect(state).toMatchObject({ status: 'active', registrations: 2, erasedAt: later.toISOString() });
    expect(state.profile?.name.keyId).toBe('key-2');
  });

  it('forgets the profile when erased', () => {
    spec.given([registered()]).when({ type: 'Erase', now: later }).then([erased]);
    expect(spec.given([registered(), erased]).state).toMatchObject({
      status: 'erased',
      profile: null,
      registeredAt: null,
      erasedAt: later.toISOString(),
    });
  });

  it('refuses to erase someone who never registered, or twice', () => {
    spec
      .given([])
      .when({ type: 'Erase', now })
      .thenRefuses('person-not-registered', /subject-1 has no profile/);
    spec.given([registered(), erased]).when({ type: 'Erase', now }).thenRefuses('person-already-erased');
  });

  it('copies the profile, so a caller changing its object later cannot alter the event', () => {
    const mine = profile();
    const { events } = spec.given([]).when({ type: 'WriteProfile', profile: mine, now }).decided();
    mine.name.keyId = 'tampered';
    expect(events[0]?.data).toMatchObject({ name: { keyId: 'key-1' } });
  });
});

describe('Person (the decider between load and save)', () => {
  it('keeps what it raised as uncommitted, and folds the same state from that history', () => {
    const person = blankPerson('subject-4');
    person.execute({ type: 'WriteProfile', profile: profile(), now });
    person.execute({ type: 'Erase', now });
    person.execute({ type: 'WriteProfile', profile: profile('key-2'), now });
    expect(person.version).toBe(3);
    expect(person.persistedVersion).toBe(0);
    const replayed = blankPerson('subject-4');
    replayed.loadFromHistory(person.uncommittedEvents);
    expect(personView(replayed)).toEqual(personView(person));
    expect(replayed.uncommittedEvents).toHaveLength(0);
  });

  it('refuses a blank id', () => {
    expect(() => blankPerson(' ')).toThrow(expect.objectContaining({ rule: 'person-id-required' }));
  });
});
