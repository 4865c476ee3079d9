import { DomainError } from '../../shared/errors/domain-error';
import type { EncryptedField } from '../../shared/privacy/encrypted-field';
import type { PersonProfileData } from '../published/people-events';
import { Person } from './person';

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

describe('Person', () => {
  it('registers on the first write and updates the whole profile on the next', () => {
    const person = Person.empty('subject-1');
    expect(person.writeProfile(profile(), now)).toBe('registered');
    expect(person.writeProfile({ ...profile(), agency: null }, now)).toBe('updated');
    expect(person.uncommittedEvents.map((e) => e.type)).toEqual(['PersonRegistered', 'PersonProfileUpdated']);
    expect(person.uncommittedEvents[0]?.data).toEqual({ ...profile(), registeredAt: now.toISOString() });
    expect(person.toView()).toMatchObject({
      status: 'active',
      version: 2,
      registeredAt: now.toISOString(),
      registrations: 1,
      profile: { agency: null },
    });
  });

  it('forgets the profile when erased, and registers again afterwards with a new key', () => {
    const person = Person.empty('subject-1');
    person.writeProfile(profile('key-1'), now);
    person.erase(new Date('2026-12-02T00:00:00.000Z'));
    expect(person.toView()).toMatchObject({
      status: 'erased',
      profile: null,
      registeredAt: null,
      erasedAt: '2026-12-02T00:00:00.000Z',
    });
    expect(person.writeProfile(profile('key-2'), now)).toBe('registered');
    const view = person.toView();
    expect(view).toMatchObject({ status: 'active', version: 3, registrations: 2 });
    expect(view.profile?.name.keyId).toBe('key-2');
  });

  it('refuses to erase someone who never registered, or twice', () => {
    const never = Person.empty('subject-2');
    expect(() => never.erase(now)).toThrow(
      new DomainError('person-not-registered', 'person subject-2 has no profile'),
    );
    const person = Person.empty('subject-3');
    person.writeProfile(profile(), now);
    person.erase(now);
    expect(() => person.erase(now)).toThrow(/is erased/);
  });

  it('folds the same state from its history', () => {
    const person = Person.empty('subject-4');
    person.writeProfile(profile(), now);
    person.erase(now);
    person.writeProfile(profile('key-2'), now);
    const replayed = Person.empty('subject-4');
    replayed.loadFromHistory(person.uncommittedEvents);
    expect(replayed.toView()).toEqual(person.toView());
  });
});
