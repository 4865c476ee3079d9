import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createErasureEvidence, type ErasureEvidence, type FormerValue } from './erasure-fingerprint';
import { KEYSTORE_SCHEMA, type KeystoreTables } from './keystore-tables';
import type { MasterKey } from './master-key';

/** The purpose under which the evidence secret is derived from the master key. */
const EVIDENCE_PURPOSE = 'deedstream erasure evidence v1';

export interface RecordedEvidence {
  evidenceId: string;
  subjectId: string;
  erasedAt: Date;
  evidence: ErasureEvidence;
}

/** Where an erasure keeps its evidence before the keys go (crypto-shredder.ts). */
export interface EvidenceRecorder {
  record(subjectId: string, values: readonly FormerValue[]): Promise<RecordedEvidence>;
}

/**
 * Keeps, per erasure, the keyed hashes of the person's former values in the key store's
 * schema (never relayed), so `verify-erased` can later prove no copy is still readable.
 */
export class ErasureEvidenceStore implements EvidenceRecorder {
  private readonly db: Kysely<KeystoreTables>;
  /** The secret of the keyed hashes, derived from the master key (never stored). */
  readonly secret: Buffer;

  constructor(db: Kysely<unknown>, masterKey: MasterKey) {
    this.db = (db as Kysely<KeystoreTables>).withSchema(KEYSTORE_SCHEMA);
    this.secret = masterKey.derive(EVIDENCE_PURPOSE);
  }

  async record(subjectId: string, values: readonly FormerValue[]): Promise<RecordedEvidence> {
    const evidence = createErasureEvidence(values, this.secret);
    const row = await this.db
      .insertInto('erasure_evidence')
      .values({ evidence_id: randomUUID(), subject_id: subjectId, evidence: JSON.stringify(evidence) })
      .returning(['evidence_id', 'erased_at'])
      .executeTakeFirstOrThrow();
    return { evidenceId: row.evidence_id, subjectId, erasedAt: row.erased_at, evidence };
  }

  /** Every erasure of the subject, oldest first (a person may register and be erased again). */
  async forSubject(subjectId: string): Promise<RecordedEvidence[]> {
    const rows = await this.db
      .selectFrom('erasure_evidence')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .orderBy('erased_at')
      .execute();
    return rows.map((row) => ({
      evidenceId: row.evidence_id,
      subjectId: row.subject_id,
      erasedAt: row.erased_at,
      evidence: row.evidence,
    }));
  }
}
