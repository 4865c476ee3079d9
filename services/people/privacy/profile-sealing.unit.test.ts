import { FieldCipher } from '../../shared/privacy/field-cipher';
import { MemoryKeyStore } from '../../shared/privacy/memory-key-store';
import { formerValuesOf, isErased, openProfile, sealProfile, type PlainProfile } from './profile-sealing';

const plain: PlainProfile = {
  name: 'Anna de Vries',
  email: 'anna.devries@example.org',
  phone: '+31 20 555 0199',
  agency: 'Grachten Makelaars',
  licenceNumber: 'NVM-123456',
};

describe('a profile sealed with its person key', () => {
  it('carries no personal value in the clear, and opens to the same values', async () => {
    const keys = new MemoryKeyStore();
    await keys.ensureKey('p1');
    const cipher = new FieldCipher(keys);
    const sealed = await sealProfile(cipher, 'p1', plain, true);
    const text = JSON.stringify(sealed);
    for (const value of [plain.name, plain.email, plain.phone, plain.licenceNumber]) {
      expect(text).not.toContain(value);
    }
    expect(sealed.agency).toBe('Grachten Makelaars');
    const opened = await openProfile(cipher, sealed);
    expect(opened).toEqual({
      name: { kind: 'plain', value: plain.name },
      email: { kind: 'plain', value: plain.email },
      phone: { kind: 'plain', value: plain.phone },
      agency: plain.agency,
      licenceNumber: { kind: 'plain', value: plain.licenceNumber },
      agent: true,
    });
    expect(isErased(opened)).toBe(false);
    expect(formerValuesOf(opened).map((v) => `${v.field}:${v.kind}`)).toEqual([
      'name:name',
      'email:email',
      'phone:phone',
      'licenceNumber:identifier',
    ]);
  });

  it('reads as erased, not as an error, once the key is destroyed', async () => {
    const keys = new MemoryKeyStore();
    await keys.ensureKey('p2');
    const cipher = new FieldCipher(keys);
    const sealed = await sealProfile(cipher, 'p2', { ...plain, phone: null, licenceNumber: null }, false);
    await keys.destroySubject('p2');
    const opened = await openProfile(cipher, sealed);
    expect(opened).toMatchObject({ name: { kind: 'erased' }, email: { kind: 'erased' }, phone: null });
    expect(isErased(opened)).toBe(true);
    expect(formerValuesOf(opened)).toEqual([]);
  });

  it('cannot seal for someone without a key (never registered, or erased)', async () => {
    await expect(sealProfile(new FieldCipher(new MemoryKeyStore()), 'p3', plain, false)).rejects.toThrow(
      /no active data key/,
    );
  });
});
