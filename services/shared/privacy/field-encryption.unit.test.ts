import { randomBytes, randomUUID } from 'node:crypto';
import { MalformedEnvelopeError, TamperedFieldError, type EncryptedField } from './encrypted-field';
import { openField, sealField } from './field-encryption';
import type { DataKey } from './key-store';

const newKey = (): DataKey => ({ keyId: randomUUID(), subjectId: randomUUID(), material: randomBytes(32) });

/** Flips one bit of a base64url string's decoded bytes. */
function flipBit(value: string, byte: number): string {
  const bytes = Buffer.from(value, 'base64url');
  bytes[byte] = (bytes[byte] as number) ^ 0x01;
  return bytes.toString('base64url');
}

describe('sealField / openField (AES-256-GCM per field)', () => {
  it('round-trips any text, and each encryption has a fresh iv', () => {
    const key = newKey();
    for (const plaintext of ['jan.de.vries@example.nl', '', 'Zoë Ðuric 🏠', 'x'.repeat(10_000)]) {
      const sealed = sealField(key, 'email', plaintext);
      expect(sealed.keyId).toBe(key.keyId);
      expect(openField(key, sealed, 'email')).toBe(plaintext);
    }
    const a = sealField(key, 'email', 'same');
    const b = sealField(key, 'email', 'same');
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('keeps the plaintext out of the envelope', () => {
    const sealed = sealField(newKey(), 'name', 'Jan de Vries');
    expect(JSON.stringify(sealed)).not.toMatch(/Jan|Vries/);
    expect(Buffer.from(sealed.ciphertext, 'base64url').toString('latin1')).not.toContain('Vries');
  });

  it('refuses an altered ciphertext, tag or iv as tampering', () => {
    const key = newKey();
    const sealed = sealField(key, 'phone', '+31 6 1234 5678');
    const tagStart = Buffer.from(sealed.ciphertext, 'base64url').length - 16;
    const altered: EncryptedField[] = [
      { ...sealed, ciphertext: flipBit(sealed.ciphertext, 0) },
      { ...sealed, ciphertext: flipBit(sealed.ciphertext, tagStart) },
      { ...sealed, iv: flipBit(sealed.iv, 3) },
    ];
    for (const envelope of altered)
      expect(() => openField(key, envelope, 'phone')).toThrow(TamperedFieldError);
  });

  it('refuses a ciphertext read as another field (associated data)', () => {
    const key = newKey();
    const email = sealField(key, 'email', 'jan@example.nl');
    expect(() => openField(key, email, 'name')).toThrow(TamperedFieldError);
    expect(openField(key, email, 'email')).toBe('jan@example.nl');
  });

  it('refuses an envelope relabelled with another key id, even one whose material matches', () => {
    const key = newKey();
    const sealed = sealField(key, 'email', 'jan@example.nl');
    const sameMaterialOtherId: DataKey = { ...key, keyId: randomUUID() };
    expect(() =>
      openField(sameMaterialOtherId, { ...sealed, keyId: sameMaterialOtherId.keyId }, 'email'),
    ).toThrow(TamperedFieldError);
  });

  it('names a damaged envelope as malformed, not as tampering', () => {
    const key = newKey();
    const sealed = sealField(key, 'email', 'jan@example.nl');
    const damaged: unknown[] = [
      null,
      'v1.abc',
      { ...sealed, keyId: '' },
      { ...sealed, iv: 'not base64url!' },
      { ...sealed, iv: Buffer.alloc(8).toString('base64url') },
      { ...sealed, ciphertext: Buffer.alloc(10).toString('base64url') },
      { keyId: sealed.keyId, iv: sealed.iv },
    ];
    for (const envelope of damaged) {
      expect(() => openField(key, envelope as EncryptedField, 'email')).toThrow(MalformedEnvelopeError);
    }
  });
});
