/**
 * How personal values are recognised in arbitrary text without keeping them: each kind of
 * value has one canonical form, and any text is cut into candidate windows in that same
 * form. A value "is in" a text when one of the text's windows equals the value's
 * canonical form — whatever the case, spacing or punctuation around it. Hashing every
 * substring of every text would be hopeless; windows of the lengths the values actually
 * have, at the places where such a value can start, are few.
 */
export type ValueKind = 'email' | 'phone' | 'name' | 'identifier';

export const VALUE_KINDS: readonly ValueKind[] = ['email', 'phone', 'name', 'identifier'];

/** A value in canonical form: `size` is what candidate windows are cut to (characters, or tokens for names). */
export interface CanonicalValue {
  canonical: string;
  size: number;
}

const MIN_PHONE_DIGITS = 6;
const PHONE_SIGNIFICANT_DIGITS = 9;
const MIN_IDENTIFIER_CHARS = 4;
const MIN_NAME_TOKEN_CHARS = 3;
/** Name particles too common to count as a trace of one person on their own. */
const COMMON_NAME_TOKENS = new Set([
  'van',
  'der',
  'den',
  'von',
  'del',
  'della',
  'das',
  'dos',
  'ter',
  'ten',
  'het',
]);

const EMAIL_LOCAL = /[\p{L}\p{N}._%+\-!#$&'*/=?^`{|}~]/u;
const EMAIL_DOMAIN = /[\p{L}\p{N}.-]/u;
const DIGIT_RUN = /\p{Nd}(?:[\s().\-/+]{0,3}\p{Nd})*/gu;
const ALNUM_RUN = /[\p{L}\p{N}](?:[\s\-./_]{0,2}[\p{L}\p{N}])*/gu;
const NOT_ALNUM = /[^\p{L}\p{N}]+/gu;
const NOT_DIGIT = /\P{Nd}+/gu;
const MARKS = /\p{M}+/gu;

/** Lower-case words without diacritics: "José  DE-Vries" → ["jose", "de", "vries"]. */
export function nameTokens(text: string): string[] {
  return (ASCII.test(text) ? text : text.normalize('NFKD').replace(MARKS, ''))
    .toLowerCase()
    .split(NOT_ALNUM)
    .filter((token) => token.length > 0);
}

/** The whole value in canonical form, or undefined when it is too short to recognise safely. */
export function canonicalValue(kind: ValueKind, value: string): CanonicalValue | undefined {
  switch (kind) {
    case 'email': {
      const canonical = value.normalize('NFKC').trim().toLowerCase();
      return /^[^\s@]+@[^\s@]+$/u.test(canonical) ? { canonical, size: canonical.length } : undefined;
    }
    case 'phone': {
      const canonical = value.normalize('NFKC').replace(NOT_DIGIT, '');
      return canonical.length >= MIN_PHONE_DIGITS ? { canonical, size: canonical.length } : undefined;
    }
    case 'identifier': {
      const canonical = value.normalize('NFKC').toUpperCase().replace(NOT_ALNUM, '');
      return canonical.length >= MIN_IDENTIFIER_CHARS ? { canonical, size: canonical.length } : undefined;
    }
    case 'name': {
      const tokens = nameTokens(value);
      return tokens.length > 0 ? { canonical: tokens.join(' '), size: tokens.length } : undefined;
    }
  }
}

/**
 * Further canonical forms of the same whole value written another way. A phone number is
 * also recognised by its last nine digits (the number without country code or trunk
 * prefix: "+31 6 1234 5678" and "06-12345678" are one number).
 */
export function alternativeForms(kind: ValueKind, whole: CanonicalValue): CanonicalValue[] {
  if (kind !== 'phone' || whole.size <= PHONE_SIGNIFICANT_DIGITS) return [];
  return [{ canonical: whole.canonical.slice(-PHONE_SIGNIFICANT_DIGITS), size: PHONE_SIGNIFICANT_DIGITS }];
}

/** The distinctive single words of a name, each a weaker ("token") trace of the person. */
export function distinctiveNameTokens(value: string): string[] {
  return [
    ...new Set(
      nameTokens(value).filter((t) => t.length >= MIN_NAME_TOKEN_CHARS && !COMMON_NAME_TOKENS.has(t)),
    ),
  ];
}

/**
 * A text prepared once for every kind of candidate: its NFKC form (ASCII, most of what a
 * scan reads, is its own normal form and skips the work) and, on demand, its name tokens.
 */
export class PreparedText {
  readonly nfkc: string;
  private tokens: string[] | undefined;

  constructor(readonly text: string) {
    this.nfkc = ASCII.test(text) ? text : text.normalize('NFKC');
  }

  get nameTokens(): string[] {
    this.tokens ??= nameTokens(this.text);
    return this.tokens;
  }
}

/** Every character below U+0080 (written as a negated class to avoid control characters in the source). */
const ASCII = /^[^\u0080-\uffff]*$/;

/**
 * Calls `emit` with every window of the text that could be a value of `kind` of one of
 * the given sizes, in canonical form (duplicates possible). Names: `sizes` are token counts.
 */
export function candidateWindows(
  kind: ValueKind,
  text: PreparedText,
  sizes: ReadonlySet<number>,
  emit: (canonical: string) => void,
): void {
  if (sizes.size === 0) return;
  switch (kind) {
    case 'email':
      return emailWindows(text.nfkc, sizes, emit);
    case 'phone':
      for (const run of text.nfkc.matchAll(DIGIT_RUN)) slide(run[0].replace(NOT_DIGIT, ''), sizes, emit);
      return;
    case 'identifier':
      for (const run of text.nfkc.matchAll(ALNUM_RUN))
        joinedParts(run[0].toUpperCase().split(NOT_ALNUM), sizes, emit);
      return;
    case 'name': {
      const tokens = text.nameTokens;
      for (const size of sizes) {
        for (let start = 0; start + size <= tokens.length; start++)
          emit(tokens.slice(start, start + size).join(' '));
      }
      return;
    }
  }
}

/**
 * Consecutive parts of a run joined without their separators, where the joined length is
 * one of the sizes: "licence NL-RE 204518" gives "NLRE204518" for size 10. Windows start
 * and end at part boundaries (unlike phone digits), which keeps ids, hashes and prose
 * from producing a window at every character.
 */
function joinedParts(
  parts: readonly string[],
  sizes: ReadonlySet<number>,
  emit: (canonical: string) => void,
): void {
  const longest = Math.max(...sizes);
  for (let first = 0; first < parts.length; first++) {
    let joined = '';
    for (let last = first; last < parts.length && joined.length < longest; last++) {
      joined += parts[last];
      if (sizes.has(joined.length)) emit(joined);
    }
  }
}

/** Every window of each size over a canonical run of characters. */
function slide(run: string, sizes: ReadonlySet<number>, emit: (canonical: string) => void): void {
  for (const size of sizes) {
    for (let start = 0; start + size <= run.length; start++) emit(run.slice(start, start + size));
  }
}

/**
 * Around each "@": the longest address-like run, then each window of each size that
 * keeps the "@" with at least one character on either side. Windows, not the run itself,
 * because neighbouring text (a prefix, a length byte of an Avro string) can touch the address.
 */
function emailWindows(nfkc: string, sizes: ReadonlySet<number>, emit: (canonical: string) => void): void {
  if (!nfkc.includes('@')) return;
  const normalised = nfkc.toLowerCase();
  for (let at = normalised.indexOf('@'); at !== -1; at = normalised.indexOf('@', at + 1)) {
    let from = at;
    while (from > 0 && EMAIL_LOCAL.test(normalised.charAt(from - 1))) from--;
    let to = at + 1;
    while (to < normalised.length && EMAIL_DOMAIN.test(normalised.charAt(to))) to++;
    for (const size of sizes) {
      for (let start = Math.max(from, at - size + 2); start <= at - 1; start++) {
        const end = start + size;
        if (end > to) break;
        if (end >= at + 2) emit(normalised.slice(start, end));
      }
    }
  }
}
