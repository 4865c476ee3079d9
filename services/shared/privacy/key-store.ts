/**
 * Per-person data keys for crypto-shredding: every personal field is encrypted with a key
 * of its own subject (a person), so destroying that subject's keys makes every copy of
 * their data unreadable at once — events, outboxes, Kafka topics and DLQs, backups,
 * rebuilds — without rewriting any of them.
 *
 * The interface is small on purpose, so that a key management service can stand behind
 * it instead of Postgres (envelope encryption: the service keeps a key-encryption key that
 * never leaves it, and only data keys wrapped by it are stored):
 *
 * - HashiCorp Vault transit: `ensureKey` → `POST transit/datakey/wrapped/<kek>` (store the
 *   wrapped key with its id and subject); `getKey` → `POST transit/decrypt/<kek>` of the
 *   stored wrapped key; `destroySubject` → delete the stored wrapped keys. For the strongest
 *   erasure use one transit key per subject (`transit/keys/person-<id>`, created by
 *   `ensureKey`, `deletion_allowed=true`, deleted by `destroySubject`): then every wrapped
 *   copy in every backup is useless once Vault forgets the subject's key.
 * - A cloud KMS (AWS KMS, Google Cloud KMS, Azure Key Vault): `GenerateDataKey` /
 *   `Encrypt` under one master key gives the plaintext and wrapped data key, `Decrypt`
 *   unwraps it; destroying deletes the wrapped data key from the store. A key per subject
 *   in the KMS itself (scheduled key deletion) is possible but costs per key.
 *
 * The Postgres implementation (postgres-key-store.ts) does the same with a master key from
 * configuration (KEYSTORE_MASTER_KEY) in place of the KMS.
 */
export interface KeyStore {
  /**
   * The subject's active key, created when it has none: at registration, and again after
   * an erasure (re-registration gets a new key id; the old ones stay destroyed). Two
   * concurrent calls for one subject end with one active key.
   */
  ensureKey(subjectId: string): Promise<DataKeyInfo>;
  /** The subject's active key with its material, or undefined when it has none (never registered, or erased). */
  activeKey(subjectId: string): Promise<DataKey | undefined>;
  /** A key's material by id, or undefined when that key was destroyed or never existed. */
  getKey(keyId: string): Promise<DataKey | undefined>;
  /** Destroys every key of the subject. Idempotent: a second call destroys nothing more. */
  destroySubject(subjectId: string): Promise<DestroyResult>;
  /** The subject's keys, oldest first, without their material. */
  describeSubject(subjectId: string): Promise<DataKeyInfo[]>;
}

/** A data key's metadata: safe to print and log. */
export interface DataKeyInfo {
  keyId: string;
  subjectId: string;
  createdAt: Date;
  /** When the key was destroyed (the subject erased); null while it is active. */
  destroyedAt: Date | null;
}

/** A usable data key: 32 bytes for AES-256-GCM. Never log or persist `material` in the clear. */
export interface DataKey {
  keyId: string;
  subjectId: string;
  material: Buffer;
}

export interface DestroyResult {
  /** The keys destroyed by this call (empty when they already were). */
  destroyedKeyIds: string[];
  /**
   * Whether the store also reclaimed the storage of the old key versions (Postgres: a
   * VACUUM of the key table), or why it could not. See docs/privacy.md on the limits.
   */
  storageReclaimed: true | { failed: string };
}

/** AES-256 key length in bytes. */
export const DATA_KEY_BYTES = 32;
