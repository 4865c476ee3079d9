/**
 * A personal value as events, outboxes and Kafka carry it: encrypted with its subject's
 * data key (see field-encryption.ts). The same plain object is the event's JSON in the
 * events table and its Avro record on the wire, so every part is a string.
 */
export interface EncryptedField {
  /** The data key's id in the key store; the key belongs to one subject (person). */
  keyId: string;
  /** base64url of the 12-byte AES-GCM nonce, random per encryption. */
  iv: string;
  /** base64url of the AES-256-GCM ciphertext followed by its 16-byte authentication tag. */
  ciphertext: string;
}

/** The full Avro name of the record; later uses in one schema refer to it by this name. */
export const ENCRYPTED_FIELD_AVRO_NAME = 'dev.deedstream.privacy.EncryptedField';

/**
 * The Avro type of an encrypted field, to embed in event schemas (.avsc): the first use in
 * a schema spells out this definition, every later use in the same schema is the string
 * "dev.deedstream.privacy.EncryptedField" (an optional field: ["null", <that>] with
 * default null). `checkEncryptedFieldDefinitions` verifies that a schema's copy matches.
 * A later encryption scheme adds a field with a default (e.g. "scheme": "aes-256-gcm.v1"),
 * a backward-compatible change.
 */
export const encryptedFieldAvroType = {
  type: 'record',
  name: 'EncryptedField',
  namespace: 'dev.deedstream.privacy',
  doc: "A personal value encrypted with its subject's data key (AES-256-GCM, associated data: key id and field name). Unreadable once the key is destroyed (crypto-shredding).",
  fields: [
    { name: 'keyId', type: 'string', doc: "The data key's id in the key store." },
    { name: 'iv', type: 'string', doc: 'base64url of the 12-byte nonce.' },
    { name: 'ciphertext', type: 'string', doc: 'base64url of the ciphertext and its 16-byte GCM tag.' },
  ],
} as const;

/** Base class of the failures that are not erasure: the envelope was damaged or altered. */
export class EncryptedFieldError extends Error {
  constructor(
    message: string,
    readonly fieldName: string,
  ) {
    super(message);
    this.name = 'EncryptedFieldError';
  }
}

/** The value is not an encrypted-field envelope (missing parts, bad base64url, wrong sizes). */
export class MalformedEnvelopeError extends EncryptedFieldError {
  constructor(fieldName: string, problem: string) {
    super(`${fieldName}: not an encrypted field: ${problem}`, fieldName);
    this.name = 'MalformedEnvelopeError';
  }
}

/**
 * The ciphertext does not authenticate under its key: it was altered, or it belongs to
 * another field (the field name is part of the associated data). Tampering, not erasure.
 */
export class TamperedFieldError extends EncryptedFieldError {
  constructor(
    fieldName: string,
    readonly keyId: string,
  ) {
    super(
      `${fieldName}: ciphertext under key ${keyId} does not authenticate: altered, or encrypted for another field`,
      fieldName,
    );
    this.name = 'TamperedFieldError';
  }
}

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The envelope's parts as bytes; throws MalformedEnvelopeError naming what is wrong. */
export function parseEncryptedField(
  value: unknown,
  fieldName: string,
): { keyId: string; iv: Buffer; sealed: Buffer } {
  if (typeof value !== 'object' || value === null)
    throw new MalformedEnvelopeError(fieldName, 'not an object');
  const { keyId, iv, ciphertext } = value as Partial<Record<keyof EncryptedField, unknown>>;
  if (typeof keyId !== 'string' || keyId.length === 0)
    throw new MalformedEnvelopeError(fieldName, 'no keyId');
  const ivBytes = base64url(iv, 'iv', fieldName);
  const sealed = base64url(ciphertext, 'ciphertext', fieldName);
  if (ivBytes.length !== IV_BYTES)
    throw new MalformedEnvelopeError(fieldName, `iv has ${ivBytes.length} bytes`);
  if (sealed.length < TAG_BYTES)
    throw new MalformedEnvelopeError(fieldName, 'ciphertext shorter than its tag');
  return { keyId, iv: ivBytes, sealed };
}

/** True for a value shaped like an envelope (read models use it to tell encrypted fields apart). */
export function isEncryptedField(value: unknown): value is EncryptedField {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof EncryptedField, unknown>>;
  return (
    typeof candidate.keyId === 'string' &&
    typeof candidate.iv === 'string' &&
    typeof candidate.ciphertext === 'string'
  );
}

function base64url(value: unknown, part: string, fieldName: string): Buffer {
  // Node decodes invalid base64 leniently; checking the alphabet keeps garbage out.
  if (typeof value !== 'string' || !BASE64URL.test(value)) {
    throw new MalformedEnvelopeError(fieldName, `${part} is not base64url`);
  }
  return Buffer.from(value, 'base64url');
}

/**
 * Every definition of the EncryptedField record inside an Avro schema that differs from
 * `encryptedFieldAvroType` (so a hand-edited .avsc cannot drift from the envelope).
 */
export function checkEncryptedFieldDefinitions(schema: unknown): string[] {
  const problems: string[] = [];
  const canonical = JSON.stringify(encryptedFieldAvroType);
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) return node.forEach((child, i) => visit(child, `${path}[${i}]`));
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    const fullName =
      typeof record.name === 'string' && record.name.includes('.')
        ? record.name
        : `${typeof record.namespace === 'string' ? record.namespace : ''}.${String(record.name)}`;
    if (
      record.type === 'record' &&
      (record.name === 'EncryptedField' || fullName === ENCRYPTED_FIELD_AVRO_NAME)
    ) {
      if (JSON.stringify(node) !== canonical) {
        problems.push(`${path || '(root)'}: EncryptedField differs from the envelope's definition`);
      }
      return;
    }
    for (const [key, child] of Object.entries(record)) visit(child, path ? `${path}.${key}` : key);
  };
  visit(schema, '');
  return problems;
}
