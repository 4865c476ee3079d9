import type { FormerValue } from './erasure-fingerprint';
import type { EvidenceRecorder, RecordedEvidence } from './erasure-evidence-store';
import type { DestroyResult, KeyStore } from './key-store';

export interface ShredResult extends DestroyResult {
  evidence: RecordedEvidence;
}

/**
 * Erases a subject's personal data everywhere at once by destroying their keys, after
 * keeping the evidence of what their values were (keyed hashes) for `verify-erased`.
 * The caller reads the former values (decrypting them) before calling: afterwards they
 * are gone. Evidence first: if the destruction then fails, a retry records it again and
 * destroys; the other order could lose the values that verification needs.
 */
export async function shredSubject(
  keys: KeyStore,
  evidence: EvidenceRecorder,
  subjectId: string,
  formerValues: readonly FormerValue[],
): Promise<ShredResult> {
  const recorded = await evidence.record(subjectId, formerValues);
  const destroyed = await keys.destroySubject(subjectId);
  return { ...destroyed, evidence: recorded };
}
