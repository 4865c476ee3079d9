import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { migrate } from '../../../migrations/migrator';
import { infrastructureConfig } from '../service/infrastructure';
import { createDatabase } from '../db/database';
import { CachingKeyStore } from './caching-key-store';
import { ErasureEvidenceStore } from './erasure-evidence-store';
import { ErasureMatcher } from './erasure-fingerprint';
import { FieldCipher } from './field-cipher';
import { KEYSTORE_SCHEMA, type KeystoreTables } from './keystore-tables';
import { MasterKey, MasterKeyMismatchError } from './master-key';
import { PostgresKeyStore } from './postgres-key-store';
import { shredSubject } from './crypto-shredder';

let db: Kysely<unknown>;
const masterKey = new MasterKey(randomBytes(32));
let store: PostgresKeyStore;
const subjects: string[] = [];

const newSubject = () => {
  const subject = `person-${randomUUID()}`;
  subjects.push(subject);
  return subject;
};
const keystore = () => (db as Kysely<KeystoreTables>).withSchema(KEYSTORE_SCHEMA);

beforeAll(async () => {
  db = createDatabase<unknown>({ connectionString: infrastructureConfig().DATABASE_URL, maxConnections: 4 });
  await migrate(db, 'keystore', 'latest');
  store = new PostgresKeyStore(db, masterKey);
});

afterAll(async () => {
  if (subjects.length > 0) {
    await keystore().deleteFrom('data_keys').where('subject_id', 'in', subjects).execute();
    await keystore().deleteFrom('erasure_evidence').where('subject_id', 'in', subjects).execute();
  }
  await db.destroy();
});

describe('PostgresKeyStore', () => {
  it('creates one active key per subject, also when registrations race', async () => {
    const subject = newSubject();
    const infos = await Promise.all(Array.from({ length: 8 }, () => store.ensureKey(subject)));
    expect(new Set(infos.map((i) => i.keyId)).size).toBe(1);
    const again = await store.ensureKey(subject);
    expect(again.keyId).toBe(infos[0]?.keyId);
    const rows = await keystore()
      .selectFrom('data_keys')
      .selectAll()
      .where('subject_id', '=', subject)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('stores only the wrapped key: the material never appears in the table', async () => {
    const subject = newSubject();
    const { keyId } = await store.ensureKey(subject);
    const key = await store.getKey(keyId);
    expect(key?.material).toHaveLength(32);
    expect(key?.subjectId).toBe(subject);
    const row = await keystore()
      .selectFrom('data_keys')
      .select(['wrapped_key', 'wrapped_with'])
      .where('key_id', '=', keyId)
      .executeTakeFirstOrThrow();
    expect(row.wrapped_with).toBe(masterKey.fingerprint);
    expect(row.wrapped_key?.includes(key?.material as Buffer)).toBe(false);
    await expect(store.activeKey(subject)).resolves.toMatchObject({ keyId });
  });

  it('destroys every key of the subject for real and idempotently, then lets it register again', async () => {
    const subject = newSubject();
    const first = await store.ensureKey(subject);
    const destroyed = await store.destroySubject(subject);
    expect(destroyed).toEqual({ destroyedKeyIds: [first.keyId], storageReclaimed: true });
    await expect(store.getKey(first.keyId)).resolves.toBeUndefined();
    await expect(store.activeKey(subject)).resolves.toBeUndefined();
    const row = await keystore()
      .selectFrom('data_keys')
      .selectAll()
      .where('key_id', '=', first.keyId)
      .executeTakeFirstOrThrow();
    expect(row.wrapped_key).toBeNull();
    expect(row.wrapped_with).toBeNull();
    expect(row.destroyed_at).toBeInstanceOf(Date);

    await expect(store.destroySubject(subject)).resolves.toEqual({
      destroyedKeyIds: [],
      storageReclaimed: true,
    });

    const second = await store.ensureKey(subject);
    expect(second.keyId).not.toBe(first.keyId);
    const described = await store.describeSubject(subject);
    expect(described.map((k) => [k.keyId, k.destroyedAt === null])).toEqual([
      [first.keyId, false],
      [second.keyId, true],
    ]);
    expect(JSON.stringify(described)).not.toMatch(/material|wrapped/);
  });

  it('answers an unknown or malformed key id with no key, not an error', async () => {
    await expect(store.getKey(randomUUID())).resolves.toBeUndefined();
    await expect(store.getKey('not-a-uuid')).resolves.toBeUndefined();
  });

  it('refuses to unwrap with another master key instead of reporting the subject erased', async () => {
    const subject = newSubject();
    const { keyId } = await store.ensureKey(subject);
    const otherMaster = new PostgresKeyStore(db, new MasterKey(randomBytes(32)));
    await expect(otherMaster.getKey(keyId)).rejects.toThrow(MasterKeyMismatchError);
    const cipher = new FieldCipher(otherMaster);
    const envelope = await new FieldCipher(store).encrypt(subject, 'email', 'a@example.nl');
    await expect(cipher.decrypt(envelope, 'email')).rejects.toThrow(MasterKeyMismatchError);
  });

  it('serves a field cipher: readable until the subject is shredded, erased afterwards', async () => {
    const subject = newSubject();
    const keys = new CachingKeyStore(store, { ttlMs: 60_000, maxKeys: 100 });
    const cipher = new FieldCipher(keys);
    await keys.ensureKey(subject);
    const email = await cipher.encrypt(subject, 'email', 'shred.me@example.nl');
    await expect(cipher.decrypt(email, 'email')).resolves.toEqual({
      kind: 'plain',
      value: 'shred.me@example.nl',
    });

    const evidence = new ErasureEvidenceStore(db, masterKey);
    const result = await shredSubject(keys, evidence, subject, [
      { field: 'email', kind: 'email', value: 'shred.me@example.nl' },
      { field: 'name', kind: 'name', value: 'Shredda Mee' },
    ]);
    expect(result.destroyedKeyIds).toEqual([email.keyId]);
    await expect(cipher.decrypt(email, 'email')).resolves.toEqual({ kind: 'erased', keyId: email.keyId });

    // The evidence row holds no plaintext, yet recognises the former values.
    const raw = await sql<{
      text: string;
    }>`SELECT evidence::text AS text FROM keystore.erasure_evidence WHERE subject_id = ${subject}`.execute(
      db,
    );
    expect(raw.rows).toHaveLength(1);
    expect(raw.rows[0]?.text.toLowerCase()).not.toMatch(/shred|example|mee/);
    const recorded = await evidence.forSubject(subject);
    const matcher = new ErasureMatcher(
      recorded.map((r) => r.evidence),
      evidence.secret,
    );
    expect(matcher.find('mail SHRED.ME@example.nl').map((m) => m.field)).toEqual(['email']);
  });

  it('is in no publication, so logical replication never carries it', async () => {
    const published = await sql<{ pubname: string }>`
      SELECT pubname FROM pg_publication_tables WHERE schemaname = ${KEYSTORE_SCHEMA}
      UNION SELECT pubname FROM pg_publication WHERE puballtables`.execute(db);
    expect(published.rows).toEqual([]);
  });
});
