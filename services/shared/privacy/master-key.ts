import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { DATA_KEY_BYTES } from './key-store';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a data key was wrapped by another master key than the one configured. */
export class MasterKeyMismatchError extends Error {
  constructor(keyId: string, wrappedWith: string, configured: string) {
    super(
      `data key ${keyId} was wrapped by master key ${wrappedWith}, but KEYSTORE_MASTER_KEY is ${configured}: ` +
        'configure the master key the keys were created with',
    );
    this.name = 'MasterKeyMismatchError';
  }
}

/** Thrown when a wrapped data key does not authenticate: the stored bytes were altered. */
export class WrappedKeyTamperedError extends Error {
  constructor(keyId: string) {
    super(`data key ${keyId} does not authenticate under the master key: its stored bytes were altered`);
    this.name = 'WrappedKeyTamperedError';
  }
}

/**
 * The key-encryption key of the Postgres key store: data keys are stored only wrapped by
 * it (AES-256-GCM, the key id and subject as associated data, so a wrapped key copied onto
 * another row does not unwrap). A database dump alone therefore exposes no data key; the
 * master key comes from configuration, never from the database.
 */
export class MasterKey {
  /** A short public name of this key (a hash prefix), stored beside each wrapped key. */
  readonly fingerprint: string;

  constructor(private readonly material: Buffer) {
    if (material.length !== DATA_KEY_BYTES) throw new Error(`a master key has ${DATA_KEY_BYTES} bytes`);
    this.fingerprint = `sha256:${createHash('sha256').update(material).digest('hex').slice(0, 16)}`;
  }

  /** iv ‖ ciphertext ‖ tag of the data key. */
  wrap(dataKey: Buffer, keyId: string, subjectId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.material, iv);
    cipher.setAAD(wrapContext(keyId, subjectId));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  }

  unwrap(wrapped: Buffer, keyId: string, subjectId: string): Buffer {
    if (wrapped.length !== IV_BYTES + DATA_KEY_BYTES + TAG_BYTES) throw new WrappedKeyTamperedError(keyId);
    const decipher = createDecipheriv('aes-256-gcm', this.material, wrapped.subarray(0, IV_BYTES));
    decipher.setAAD(wrapContext(keyId, subjectId));
    decipher.setAuthTag(wrapped.subarray(IV_BYTES + DATA_KEY_BYTES));
    try {
      return Buffer.concat([
        decipher.update(wrapped.subarray(IV_BYTES, IV_BYTES + DATA_KEY_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new WrappedKeyTamperedError(keyId);
    }
  }

  /**
   * A secret derived from the master key for another purpose (HKDF-SHA256), e.g. the
   * keyed hashes of erasure evidence: one configured secret, independent derived keys.
   */
  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.material, Buffer.alloc(0), purpose, DATA_KEY_BYTES));
  }
}

function wrapContext(keyId: string, subjectId: string): Buffer {
  return Buffer.from(`deedstream.keystore.v1\u0000${keyId}\u0000${subjectId}`, 'utf8');
}
