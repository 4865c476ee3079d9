import type { ColumnType, JSONColumnType } from 'kysely';
import type { ErasureEvidence } from './erasure-fingerprint';

/** The Postgres schema of the key store. No connector captures it (see relay-exclusion.ts). */
export const KEYSTORE_SCHEMA = 'keystore';

/** One data key of one subject; see migrations/keystore. */
export interface DataKeysTable {
  key_id: string;
  subject_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  /** Null while active; set when the subject is erased, together with `wrapped_key` = null. */
  destroyed_at: Date | null;
  /** iv ‖ AES-256-GCM(data key) ‖ tag under the master key; null once destroyed. */
  wrapped_key: Buffer | null;
  /** The fingerprint of the master key that wrapped it; null once destroyed. */
  wrapped_with: string | null;
}

/** Keyed hashes of an erased subject's former values, for `verify-erased`; never plaintext. */
export interface ErasureEvidenceTable {
  evidence_id: string;
  subject_id: string;
  erased_at: ColumnType<Date, Date | undefined, never>;
  evidence: JSONColumnType<ErasureEvidence>;
}

export interface KeystoreTables {
  data_keys: DataKeysTable;
  erasure_evidence: ErasureEvidenceTable;
}
