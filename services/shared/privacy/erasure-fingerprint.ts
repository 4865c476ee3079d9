import { createHash, createHmac, hash, randomBytes } from 'node:crypto';
import {
  PreparedText,
  VALUE_KINDS,
  alternativeForms,
  candidateWindows,
  canonicalValue,
  distinctiveNameTokens,
  type ValueKind,
} from './value-normalisation';

/** A value a person had, given at erasure (or on the command line) to look for later. */
export interface FormerValue {
  /** What it was, for reports: "email", "licenceNumber", … (never the value). */
  field: string;
  kind: ValueKind;
  value: string;
}

/**
 * One keyed hash of a former value in canonical form. `whole`: the entire value (an
 * e-mail address, all digits of a phone number, every word of a name in order); `token`:
 * one distinctive word of a name, a weaker trace reported apart.
 */
export interface Fingerprint {
  field: string;
  kind: ValueKind;
  match: 'whole' | 'token';
  /** The canonical length (characters; words for names): where to cut candidate windows. */
  size: number;
  hash: string;
}

/**
 * What an erasure keeps of a person's former values: salted, keyed hashes, never the
 * values. A hash can only be checked by someone who has the secret (derived from the
 * master key), so a dump of the evidence table alone does not allow guessing names or
 * phone numbers; with the secret, a guess can be tested — which is what verification needs.
 */
export interface ErasureEvidence {
  version: 1;
  /** base64url of a random salt of this erasure. */
  salt: string;
  /** Which secret made the hashes (a hash prefix of it), to refuse checking with another. */
  secretFingerprint: string;
  fingerprints: Fingerprint[];
}

export function secretFingerprint(secret: Buffer): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}

/** The evidence of a set of former values; values too short to recognise are left out. */
export function createErasureEvidence(values: readonly FormerValue[], secret: Buffer): ErasureEvidence {
  const salt = randomBytes(16);
  const hashOf = keyedHash(secret, salt);
  const fingerprints = new Map<string, Fingerprint>();
  const add = (fingerprint: Omit<Fingerprint, 'hash'>, canonical: string) => {
    const hash = hashOf(fingerprint.kind, canonical);
    fingerprints.set(`${fingerprint.match}:${hash}`, { ...fingerprint, hash });
  };
  for (const { field, kind, value } of values) {
    const whole = canonicalValue(kind, value);
    if (whole) {
      for (const form of [whole, ...alternativeForms(kind, whole)]) {
        add({ field, kind, match: 'whole', size: form.size }, form.canonical);
      }
    }
    if (kind !== 'name') continue;
    for (const token of distinctiveNameTokens(value)) add({ field, kind, match: 'token', size: 1 }, token);
  }
  return {
    version: 1,
    salt: salt.toString('base64url'),
    secretFingerprint: secretFingerprint(secret),
    fingerprints: [...fingerprints.values()],
  };
}

/** A former value found in a text: which one (by field and kind), never the text. */
export interface ValueMatch {
  field: string;
  kind: ValueKind;
  match: 'whole' | 'token';
}

const NONE: ValueMatch[] = [];
/** Hashed windows remembered per kind and erasure. */
const WINDOW_MEMO = 200_000;

/** Thrown when evidence is checked with another secret than the one that made it. */
export class EvidenceSecretMismatchError extends Error {
  constructor(made: string, given: string) {
    super(
      `the erasure evidence was made with secret ${made}, not ${given}: configure the KEYSTORE_MASTER_KEY of the erasure`,
    );
    this.name = 'EvidenceSecretMismatchError';
  }
}

/** Finds former values in texts, from their evidence: a pure function of the text. */
export class ErasureMatcher {
  private readonly checks: Array<{
    kind: ValueKind;
    sizes: Set<number>;
    hashOf: (kind: ValueKind, canonical: string) => string;
    byHash: Map<string, ValueMatch[]>;
    /** Windows already hashed and what they matched: the same words recur across a whole scan. */
    seen: Map<string, ValueMatch[]>;
  }> = [];

  /** One matcher over several erasures' evidence (each has its own salt). */
  constructor(evidence: readonly ErasureEvidence[], secret: Buffer) {
    const given = secretFingerprint(secret);
    for (const one of evidence) {
      if (one.secretFingerprint !== given)
        throw new EvidenceSecretMismatchError(one.secretFingerprint, given);
      const hashOf = keyedHash(secret, Buffer.from(one.salt, 'base64url'));
      for (const kind of VALUE_KINDS) {
        const ofKind = one.fingerprints.filter((f) => f.kind === kind);
        if (ofKind.length === 0) continue;
        const byHash = new Map<string, ValueMatch[]>();
        for (const f of ofKind) {
          byHash.set(f.hash, [
            ...(byHash.get(f.hash) ?? []),
            { field: f.field, kind: f.kind, match: f.match },
          ]);
        }
        this.checks.push({
          kind,
          sizes: new Set(ofKind.map((f) => f.size)),
          hashOf,
          byHash,
          seen: new Map(),
        });
      }
    }
  }

  /** A matcher for values given in the clear (`verify-erased --value …`): hashed in memory only. */
  static forPlainValues(values: readonly FormerValue[]): ErasureMatcher {
    const secret = randomBytes(32);
    return new ErasureMatcher([createErasureEvidence(values, secret)], secret);
  }

  /** One matcher doing the work of several (e.g. evidence and values given in the clear): one scan, not one each. */
  static combine(matchers: readonly ErasureMatcher[]): ErasureMatcher {
    const combined = new ErasureMatcher([], Buffer.alloc(0));
    for (const matcher of matchers) combined.checks.push(...matcher.checks);
    return combined;
  }

  /** How many fingerprints it looks for (0: nothing recognisable was given). */
  get size(): number {
    return this.checks.reduce((sum, check) => sum + check.byHash.size, 0);
  }

  /** Every former value whose canonical form appears in the text, each once. */
  find(text: string): ValueMatch[] {
    const found = new Map<string, ValueMatch>();
    const prepared = new PreparedText(text);
    for (const check of this.checks) {
      candidateWindows(check.kind, prepared, check.sizes, (canonical) => {
        let matches = check.seen.get(canonical);
        if (!matches) {
          matches = check.byHash.get(check.hashOf(check.kind, canonical)) ?? NONE;
          // A plain map, emptied when full: cheaper than an LRU at this rate of lookups.
          if (check.seen.size >= WINDOW_MEMO) check.seen.clear();
          check.seen.set(canonical, matches);
        }
        for (const match of matches) found.set(`${match.field}:${match.kind}:${match.match}`, match);
      });
    }
    return [...found.values()];
  }
}

/**
 * The keyed hash of one canonical value under one erasure: SHA-256 of a 256-bit key
 * (HMAC-SHA256 of the salt under the secret) followed by the kind and the value. A secret
 * fixed-length prefix makes SHA-256 a keyed function for this purpose — without the key no
 * guess can be tested; length extension only yields hashes of padded strings no value
 * has — and one hash call is about four times cheaper than an HMAC per window, which
 * dominates the cost of a scan.
 */
function keyedHash(secret: Buffer, salt: Buffer): (kind: ValueKind, canonical: string) => string {
  const key = createHmac('sha256', secret).update(salt).digest('hex');
  return (kind, canonical) => hash('sha256', `${key}\u0000${kind}\u0000${canonical}`, 'base64url');
}

/** The kind a bare value most likely is: e-mail, phone number, identifier or name. */
export function guessValueKind(value: string): ValueKind {
  if (value.includes('@')) return 'email';
  const digits = value.replace(/\P{Nd}/gu, '').length;
  if (/^[+\p{Nd}\s().\-/]+$/u.test(value) && digits >= 6) return 'phone';
  if (digits > 0 && !/\s/u.test(value.trim())) return 'identifier';
  return 'name';
}
