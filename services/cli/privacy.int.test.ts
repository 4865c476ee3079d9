import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { migrate } from '../../migrations/migrator';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { createDatabase } from '../shared/db/database';
import { ErasureEvidenceStore } from '../shared/privacy/erasure-evidence-store';
import { KEYSTORE_SCHEMA, type KeystoreTables } from '../shared/privacy/keystore-tables';
import { PostgresKeyStore } from '../shared/privacy/postgres-key-store';
import { masterKeyOf, privacyConfig } from '../shared/privacy/privacy-config';
import { runPrivacyCli } from './privacy-cli';

let db: Kysely<unknown>;
const subject = `person-${randomUUID()}`;

beforeAll(async () => {
  db = createDatabase<unknown>({ connectionString: infrastructureConfig().DATABASE_URL, maxConnections: 2 });
  await migrate(db, 'keystore', 'latest');
});

afterAll(async () => {
  const keystore = (db as Kysely<KeystoreTables>).withSchema(KEYSTORE_SCHEMA);
  await keystore.deleteFrom('data_keys').where('subject_id', '=', subject).execute();
  await keystore.deleteFrom('erasure_evidence').where('subject_id', '=', subject).execute();
  await db.destroy();
});

describe('npm run privacy -- keys', () => {
  it("describes a subject's keys and erasures, never their material", async () => {
    const masterKey = masterKeyOf(privacyConfig());
    const store = new PostgresKeyStore(db, masterKey);
    const first = await store.ensureKey(subject);
    const material = (await store.getKey(first.keyId))?.material.toString('base64');
    await new ErasureEvidenceStore(db, masterKey).record(subject, [
      { field: 'email', kind: 'email', value: 'keys.cli@example.org' },
    ]);
    await store.destroySubject(subject);
    const second = await store.ensureKey(subject);

    const { status, out } = runPrivacyCli(['keys', subject]);
    expect(status).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^key ${first.keyId}  created \\S+  destroyed \\S+$`)),
      expect.stringMatching(new RegExp(`^key ${second.keyId}  created \\S+  active$`)),
      expect.stringMatching(/^erased \S+ {2}evidence \S+ \(1 fingerprints\)$/),
    ]);
    expect(out).not.toContain(material);
    expect(out).not.toContain('keys.cli');
  });

  it('says so for a subject it never saw', () => {
    const { status, out } = runPrivacyCli(['keys', `nobody-${randomUUID()}`]);
    expect(status).toBe(0);
    expect(out).toMatch(/^nobody-\S+: no keys, never erased\n$/);
  });
});

describe('npm run privacy -- verify-erased (argument errors)', () => {
  it.each([
    [[], 'privacy: give a subject id with erasure evidence, or --value'],
    [
      ['unknown-subject'],
      'privacy: no erasure evidence for subject unknown-subject: give its former values with --value',
    ],
    [['--value', 'A1'], 'privacy: every value given is too short to recognise safely'],
    [
      ['--value', 'x@example.org', '--only', 'postgres,redis'],
      'privacy: --only: unknown redis (use postgres, kafka, elasticsearch)',
    ],
  ])('%j fails with one line', (args, message) => {
    const { status, err } = runPrivacyCli(['verify-erased', ...args]);
    expect(status).toBe(1);
    expect(err.trim()).toBe(message);
  });
});
