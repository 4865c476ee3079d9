import { randomUUID } from 'node:crypto';
import { CachingKeyStore } from './caching-key-store';
import { MalformedEnvelopeError, TamperedFieldError, type EncryptedField } from './encrypted-field';
import { FieldCipher, NoActiveKeyError } from './field-cipher';
import type { DataKey, KeyStore } from './key-store';
import { MemoryKeyStore } from './memory-key-store';

/** Counts the store's key lookups, to see what the cache saves. */
class CountingKeyStore extends MemoryKeyStore {
  lookups = 0;
  override async getKey(keyId: string): Promise<DataKey | undefined> {
    this.lookups += 1;
    return super.getKey(keyId);
  }
}

describe('FieldCipher', () => {
  it('decrypts what it encrypted for a registered subject', async () => {
    const keys = new MemoryKeyStore();
    const cipher = new FieldCipher(keys);
    const person = randomUUID();
    await keys.ensureKey(person);
    const envelope = await cipher.encrypt(person, 'email', 'jan@example.nl');
    await expect(cipher.decrypt(envelope, 'email')).resolves.toEqual({
      kind: 'plain',
      value: 'jan@example.nl',
    });
  });

  it('reads a destroyed or unknown key as erased, never as an error', async () => {
    const keys = new MemoryKeyStore();
    const cipher = new FieldCipher(keys);
    const person = randomUUID();
    const { keyId } = await keys.ensureKey(person);
    const envelope = await cipher.encrypt(person, 'name', 'Jan de Vries');
    await keys.destroySubject(person);
    await expect(cipher.decrypt(envelope, 'name')).resolves.toEqual({ kind: 'erased', keyId });
    const unknown: EncryptedField = { ...envelope, keyId: randomUUID() };
    await expect(cipher.decrypt(unknown, 'name')).resolves.toEqual({ kind: 'erased', keyId: unknown.keyId });
  });

  it('still throws for tampering and damage when the key exists', async () => {
    const keys = new MemoryKeyStore();
    const cipher = new FieldCipher(keys);
    const person = randomUUID();
    await keys.ensureKey(person);
    const envelope = await cipher.encrypt(person, 'email', 'jan@example.nl');
    await expect(cipher.decrypt(envelope, 'phone')).rejects.toThrow(TamperedFieldError);
    await expect(cipher.decrypt({ ...envelope, iv: '' }, 'email')).rejects.toThrow(MalformedEnvelopeError);
  });

  it('refuses to encrypt for a subject without an active key (never registered, or erased)', async () => {
    const keys = new MemoryKeyStore();
    const cipher = new FieldCipher(keys);
    const person = randomUUID();
    await expect(cipher.encrypt(person, 'email', 'x@example.nl')).rejects.toThrow(NoActiveKeyError);
    await keys.ensureKey(person);
    await keys.destroySubject(person);
    await expect(cipher.encrypt(person, 'email', 'x@example.nl')).rejects.toThrow(NoActiveKeyError);
  });

  it('encrypts with a new key after re-registration, while the old data stays erased', async () => {
    const keys = new MemoryKeyStore();
    const cipher = new FieldCipher(keys);
    const person = randomUUID();
    const first = await keys.ensureKey(person);
    const old = await cipher.encrypt(person, 'email', 'old@example.nl');
    await keys.destroySubject(person);
    const second = await keys.ensureKey(person);
    expect(second.keyId).not.toBe(first.keyId);
    const renewed = await cipher.encrypt(person, 'email', 'new@example.nl');
    await expect(cipher.decrypt(renewed, 'email')).resolves.toEqual({
      kind: 'plain',
      value: 'new@example.nl',
    });
    await expect(cipher.decrypt(old, 'email')).resolves.toEqual({ kind: 'erased', keyId: first.keyId });
    expect((await keys.describeSubject(person)).map((k) => k.destroyedAt !== null)).toEqual([true, false]);
  });
});

describe('CachingKeyStore', () => {
  const setup = async (ttlMs: number) => {
    const store = new CountingKeyStore();
    const cached = new CachingKeyStore(store, { ttlMs, maxKeys: 100 });
    const cipher = new FieldCipher(cached);
    const person = randomUUID();
    await store.ensureKey(person);
    const envelope = await cipher.encrypt(person, 'email', 'jan@example.nl');
    return { store, cached, cipher, person, envelope };
  };

  it('asks the store once for a key read many times, including concurrently', async () => {
    const { store, cipher, envelope } = await setup(60_000);
    await Promise.all(Array.from({ length: 20 }, () => cipher.decrypt(envelope, 'email')));
    for (let i = 0; i < 20; i++) await cipher.decrypt(envelope, 'email');
    expect(store.lookups).toBe(1);
  });

  it('forgets the keys at once when the subject is destroyed through it', async () => {
    const { cached, cipher, person, envelope } = await setup(60_000);
    await cipher.decrypt(envelope, 'email');
    await cached.destroySubject(person);
    await expect(cipher.decrypt(envelope, 'email')).resolves.toMatchObject({ kind: 'erased' });
  });

  it('serves a key destroyed elsewhere until its TTL ends or the subject is forgotten', async () => {
    const { store, cached, cipher, person, envelope } = await setup(60_000);
    await cipher.decrypt(envelope, 'email');
    // Another process erased the person: this process's cache still has the key (the erasure window).
    await store.destroySubject(person);
    await expect(cipher.decrypt(envelope, 'email')).resolves.toMatchObject({ kind: 'plain' });
    cached.forgetSubject(person);
    await expect(cipher.decrypt(envelope, 'email')).resolves.toMatchObject({ kind: 'erased' });
  });

  it('with a TTL of 0 asks the store every time (no erasure window)', async () => {
    const { store, cipher, person, envelope } = await setup(0);
    await cipher.decrypt(envelope, 'email');
    await store.destroySubject(person);
    await expect(cipher.decrypt(envelope, 'email')).resolves.toMatchObject({ kind: 'erased' });
    expect(store.lookups).toBe(2);
  });

  it('does not cache the absence of an active key (the subject may register next)', async () => {
    const store: KeyStore = new MemoryKeyStore();
    const cached = new CachingKeyStore(store, { ttlMs: 60_000, maxKeys: 100 });
    const person = randomUUID();
    await expect(cached.activeKey(person)).resolves.toBeUndefined();
    const { keyId } = await cached.ensureKey(person);
    await expect(cached.activeKey(person)).resolves.toMatchObject({ keyId });
  });
});
