import { randomBytes } from 'node:crypto';
import {
  ErasureMatcher,
  EvidenceSecretMismatchError,
  createErasureEvidence,
  guessValueKind,
  type FormerValue,
} from './erasure-fingerprint';

const formerValues: FormerValue[] = [
  { field: 'name', kind: 'name', value: 'José de Vries-Oudshoorn' },
  { field: 'email', kind: 'email', value: 'Jose.DeVries@Example.NL' },
  { field: 'phone', kind: 'phone', value: '+31 (0)6 1234-5678' },
  { field: 'licenceNumber', kind: 'identifier', value: 'NL-RE-204518' },
];
const secret = randomBytes(32);
const evidence = createErasureEvidence(formerValues, secret);
const matcher = new ErasureMatcher([evidence], secret);

const found = (text: string) =>
  matcher
    .find(text)
    .map((m) => `${m.field}/${m.match}`)
    .sort();

describe('erasure evidence', () => {
  it('holds no plaintext, no canonical form and no word of any value', () => {
    const stored = JSON.stringify(evidence).toLowerCase();
    for (const fragment of [
      'jose',
      'vries',
      'oudshoorn',
      'example',
      'devries',
      '12345678',
      '3106',
      '204518',
      'nl-re',
      'nlre',
    ]) {
      expect(stored).not.toContain(fragment);
    }
  });

  it('uses a fresh salt per erasure, so equal values give unrelated hashes', () => {
    const again = createErasureEvidence(formerValues, secret);
    expect(again.salt).not.toBe(evidence.salt);
    const hashes = new Set(evidence.fingerprints.map((f) => f.hash));
    expect(again.fingerprints.some((f) => hashes.has(f.hash))).toBe(false);
  });

  it('keeps whole values and the distinctive words of names', () => {
    expect(evidence.fingerprints.map((f) => `${f.field}/${f.match}/${f.size}`).sort()).toEqual([
      'email/whole/23',
      'licenceNumber/whole/10',
      'name/token/1', // jose
      'name/token/1', // oudshoorn
      'name/token/1', // vries ("de" is too short)
      'name/whole/4',
      'phone/whole/12',
      'phone/whole/9', // without country code or trunk prefix
    ]);
  });

  it('cannot be checked with another secret', () => {
    expect(() => new ErasureMatcher([evidence], randomBytes(32))).toThrow(EvidenceSecretMismatchError);
  });
});

describe('ErasureMatcher.find', () => {
  it('finds the exact e-mail address inside a longer text, whatever its case', () => {
    // The address's local part holds the first name: a word of the name, too.
    expect(found('Contact: <JOSE.DEVRIES@example.nl>, or call the office.')).toEqual([
      'email/whole',
      'name/token',
    ]);
    expect(found('mailto:jose.devries@example.nl?subject=viewing')).toEqual(['email/whole', 'name/token']);
  });

  it('finds an e-mail address glued to neighbouring bytes (an Avro length prefix)', () => {
    expect(found('\u0002\u0010Fjose.devries@example.nl\u0006EUR')).toEqual(['email/whole']);
    expect(found('\u0002\u00106jose.devries@example.nl\u0006EUR')).toEqual(['email/whole']);
  });

  it('does not take a longer address for the e-mail', () => {
    expect(found('jose.devries@example.nl.evil.org')).toEqual(['email/whole', 'name/token']);
    expect(found('ose.devries@example.nl')).toEqual([]);
    expect(found('jose.devries@example.com')).toEqual(['name/token']);
  });

  it('finds the phone number formatted differently, and inside a longer digit string', () => {
    expect(found('tel. +31 06 1234 5678')).toEqual(['phone/whole']);
    expect(found('06-12345678')).toEqual(['phone/whole']);
    expect(found('0031 6 12 34 56 78')).toEqual(['phone/whole']);
    expect(found('call 31 0 6 12 34 56 78 after six')).toEqual(['phone/whole']);
    expect(found('310612345678')).toEqual(['phone/whole']);
    expect(found('{"phone":"+31-0-6-1234-5678"}')).toEqual(['phone/whole']);
    expect(found('ref 99310612345678001')).toEqual(['phone/whole']);
    expect(found('06 1234 5679')).toEqual([]);
  });

  it('finds the licence number without its separators or in another case', () => {
    expect(found('licence nl re 204518 valid')).toEqual(['licenceNumber/whole']);
    expect(found('NLRE204518')).toEqual(['licenceNumber/whole']);
    expect(found('NL-RE-204519')).toEqual([]);
  });

  it('finds the whole name in order, without diacritics, case or punctuation', () => {
    expect(found('Listed by JOSE DE VRIES OUDSHOORN (agent)')).toEqual(['name/token', 'name/whole']);
    expect(found('listing agent: José de Vries-Oudshoorn.')).toEqual(['name/token', 'name/whole']);
  });

  it('reports a single distinctive word as a token match only', () => {
    expect(found('Oudshoorn street 4')).toEqual(['name/token']);
    expect(found('Vries de José Oudshoorn')).toEqual(['name/token']);
    expect(found('van der Berg, de Jong')).toEqual([]);
  });

  it('finds nothing in unrelated text and ciphertext', () => {
    expect(found('Keizersgracht 123, 1015 CJ Amsterdam, €650000')).toEqual([]);
    expect(found('{"keyId":"0b4c","iv":"q0dM3w","ciphertext":"bXlzdGVyeQ"}')).toEqual([]);
  });

  it('matches values given in the clear the same way', () => {
    const plain = ErasureMatcher.forPlainValues([
      { field: 'value 1', kind: 'email', value: 'a.b@example.com' },
    ]);
    expect(plain.find('to A.B@EXAMPLE.COM now')).toEqual([
      { field: 'value 1', kind: 'email', match: 'whole' },
    ]);
    expect(plain.size).toBe(1);
  });

  it('leaves out values too short to recognise safely', () => {
    const tiny = ErasureMatcher.forPlainValues([
      { field: 'phone', kind: 'phone', value: '112' },
      { field: 'licence', kind: 'identifier', value: 'A1' },
    ]);
    expect(tiny.size).toBe(0);
  });
});

describe('guessValueKind', () => {
  it.each([
    ['jan@example.nl', 'email'],
    ['+31 6 1234 5678', 'phone'],
    ['(020) 555-0199', 'phone'],
    ['NL-RE-204518', 'identifier'],
    ['Jan de Vries', 'name'],
    ['Zoë', 'name'],
  ])('%s is a %s', (value, kind) => {
    expect(guessValueKind(value)).toBe(kind);
  });
});
