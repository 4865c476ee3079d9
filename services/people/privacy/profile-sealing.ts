import type { FormerValue } from '../../shared/privacy/erasure-fingerprint';
import type { EncryptedField } from '../../shared/privacy/encrypted-field';
import type { FieldCipher } from '../../shared/privacy/field-cipher';
import type { PersonalFieldName, PersonProfileData } from '../published/people-events';

/** A profile as its person writes it (PUT /people/me), in the clear. */
export interface PlainProfile {
  name: string;
  email: string;
  phone: string | null;
  agency: string | null;
  licenceNumber: string | null;
}

/** A decrypted personal value: the text, or `erased` when its key is gone. */
export type OpenedValue = { kind: 'plain'; value: string } | { kind: 'erased' };

/** A profile read back: every personal value decrypted (or erased), the rest as stored. */
export interface OpenedProfile {
  name: OpenedValue;
  email: OpenedValue;
  phone: OpenedValue | null;
  agency: string | null;
  licenceNumber: OpenedValue | null;
  agent: boolean;
}

/** Encrypts the personal values with the person's active key (which must exist: ensureKey first). */
export async function sealProfile(
  cipher: FieldCipher,
  personId: string,
  plain: PlainProfile,
  agent: boolean,
): Promise<PersonProfileData> {
  const seal = (field: PersonalFieldName, value: string) => cipher.encrypt(personId, field, value);
  const optional = (field: PersonalFieldName, value: string | null) =>
    value === null ? Promise.resolve(null) : seal(field, value);
  const [name, email, phone, licenceNumber] = await Promise.all([
    seal('name', plain.name),
    seal('email', plain.email),
    optional('phone', plain.phone),
    optional('licenceNumber', plain.licenceNumber),
  ]);
  return { name, email, phone, agency: plain.agency, licenceNumber, agent };
}

/** Decrypts a profile; a destroyed key reads as `erased`, never as an error. */
export async function openProfile(cipher: FieldCipher, profile: PersonProfileData): Promise<OpenedProfile> {
  const open = async (field: PersonalFieldName, envelope: EncryptedField): Promise<OpenedValue> => {
    const decrypted = await cipher.decrypt(envelope, field);
    return decrypted.kind === 'plain' ? decrypted : { kind: 'erased' };
  };
  const optional = (field: PersonalFieldName, envelope: EncryptedField | null) =>
    envelope === null ? Promise.resolve(null) : open(field, envelope);
  const [name, email, phone, licenceNumber] = await Promise.all([
    open('name', profile.name),
    open('email', profile.email),
    optional('phone', profile.phone),
    optional('licenceNumber', profile.licenceNumber),
  ]);
  return { name, email, phone, agency: profile.agency, licenceNumber, agent: profile.agent };
}

/** True when any personal value of the profile can no longer be read (its key is destroyed). */
export function isErased(profile: OpenedProfile): boolean {
  return [profile.name, profile.email, profile.phone, profile.licenceNumber].some(
    (value) => value?.kind === 'erased',
  );
}

/** The readable personal values, as erasure evidence keeps them (keyed hashes) for verify-erased. */
export function formerValuesOf(profile: OpenedProfile): FormerValue[] {
  const values: FormerValue[] = [];
  const add = (field: PersonalFieldName, kind: FormerValue['kind'], value: OpenedValue | null) => {
    if (value?.kind === 'plain') values.push({ field, kind, value: value.value });
  };
  add('name', 'name', profile.name);
  add('email', 'email', profile.email);
  add('phone', 'phone', profile.phone);
  add('licenceNumber', 'identifier', profile.licenceNumber);
  return values;
}

/** The plain text of a value that is known to be readable, else null. */
export function plainOrNull(value: OpenedValue | null): string | null {
  return value?.kind === 'plain' ? value.value : null;
}
