import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  IV_BYTES,
  TAG_BYTES,
  TamperedFieldError,
  parseEncryptedField,
  type EncryptedField,
} from './encrypted-field';
import type { DataKey } from './key-store';

/**
 * AES-256-GCM of one personal value under its subject's data key. The associated data
 * binds the ciphertext to its key id and to the field's name, so a ciphertext moved to
 * another field, or given another key id, fails to authenticate instead of decrypting.
 *
 * `fieldName` is a stable logical name (e.g. "email", "licenceNumber"), not the position
 * in a particular schema: it must be the same wherever and whenever the value is read.
 */
export function sealField(key: DataKey, fieldName: string, plaintext: string): EncryptedField {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.material, iv);
  cipher.setAAD(associatedData(key.keyId, fieldName));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    keyId: key.keyId,
    iv: iv.toString('base64url'),
    ciphertext: Buffer.concat([body, cipher.getAuthTag()]).toString('base64url'),
  };
}

/**
 * The plaintext of an envelope sealed under `key` for `fieldName`. Throws
 * MalformedEnvelopeError for a damaged envelope and TamperedFieldError when it does not
 * authenticate (altered, another field, another key).
 */
export function openField(key: DataKey, envelope: EncryptedField, fieldName: string): string {
  const { keyId, iv, sealed } = parseEncryptedField(envelope, fieldName);
  if (keyId !== key.keyId) throw new TamperedFieldError(fieldName, keyId);
  const decipher = createDecipheriv('aes-256-gcm', key.material, iv);
  decipher.setAAD(associatedData(keyId, fieldName));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new TamperedFieldError(fieldName, keyId);
  }
}

function associatedData(keyId: string, fieldName: string): Buffer {
  return Buffer.from(`deedstream.field.v1\u0000${keyId}\u0000${fieldName}`, 'utf8');
}
