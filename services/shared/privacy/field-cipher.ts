import { parseEncryptedField, type EncryptedField } from './encrypted-field';
import { openField, sealField } from './field-encryption';
import type { KeyStore } from './key-store';

/** What reading an encrypted field gives: its value, or the fact that its subject was erased. */
export type DecryptedField = { kind: 'plain'; value: string } | { kind: 'erased'; keyId: string };

/** Encrypting for a subject without an active key: never registered, or erased. */
export class NoActiveKeyError extends Error {
  constructor(readonly subjectId: string) {
    super(`subject ${subjectId} has no active data key: not registered, or erased`);
    this.name = 'NoActiveKeyError';
  }
}

/**
 * Encrypts and decrypts personal fields with their subjects' keys from a key store
 * (usually a CachingKeyStore over the Postgres store).
 */
export class FieldCipher {
  constructor(private readonly keys: KeyStore) {}

  /**
   * Encrypts with the subject's active key. The subject must have one (the People service
   * creates it at registration with `ensureKey`): encrypting for an erased subject must not
   * silently register them again.
   */
  async encrypt(subjectId: string, fieldName: string, plaintext: string): Promise<EncryptedField> {
    const key = await this.keys.activeKey(subjectId);
    if (!key) throw new NoActiveKeyError(subjectId);
    return sealField(key, fieldName, plaintext);
  }

  /**
   * The field's plaintext, or `erased` when its key is destroyed or unknown — the normal
   * outcome after an erasure, never an error that would park a projection. A damaged or
   * altered envelope throws (MalformedEnvelopeError, TamperedFieldError); a key store that
   * cannot be reached throws its own error, which is transient, never "erased".
   */
  async decrypt(envelope: EncryptedField, fieldName: string): Promise<DecryptedField> {
    const { keyId } = parseEncryptedField(envelope, fieldName);
    const key = await this.keys.getKey(keyId);
    if (!key) return { kind: 'erased', keyId };
    return { kind: 'plain', value: openField(key, envelope, fieldName) };
  }
}
