import { randomBytes, randomUUID } from 'node:crypto';
import { MasterKey, WrappedKeyTamperedError } from './master-key';
import {
  LOCAL_DEVELOPMENT_MASTER_KEY,
  masterKeyOf,
  privacyConfig,
  usesDevelopmentMasterKey,
} from './privacy-config';

describe('MasterKey', () => {
  const master = new MasterKey(randomBytes(32));
  const keyId = randomUUID();
  const subjectId = randomUUID();

  it('wraps and unwraps a data key bound to its key id and subject', () => {
    const dataKey = randomBytes(32);
    const wrapped = master.wrap(dataKey, keyId, subjectId);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(master.unwrap(wrapped, keyId, subjectId).equals(dataKey)).toBe(true);
    expect(() => master.unwrap(wrapped, keyId, randomUUID())).toThrow(WrappedKeyTamperedError);
    expect(() => master.unwrap(wrapped, randomUUID(), subjectId)).toThrow(WrappedKeyTamperedError);
    expect(() => new MasterKey(randomBytes(32)).unwrap(wrapped, keyId, subjectId)).toThrow(
      WrappedKeyTamperedError,
    );
  });

  it('derives distinct secrets per purpose, and names itself by a hash prefix only', () => {
    expect(master.derive('a').equals(master.derive('b'))).toBe(false);
    expect(master.derive('a').equals(master.derive('a'))).toBe(true);
    expect(master.fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
  });
});

describe('privacy configuration', () => {
  it('defaults to the public development master key, and says so', () => {
    const config = privacyConfig({});
    expect(config.KEYSTORE_MASTER_KEY).toBe(LOCAL_DEVELOPMENT_MASTER_KEY);
    expect(usesDevelopmentMasterKey(config)).toBe(true);
    expect(config.KEYSTORE_CACHE_TTL_MS).toBe(30_000);
    expect(masterKeyOf(config).fingerprint).toMatch(/^sha256:/);
  });

  it('takes a 32-byte base64 key and refuses anything else in one line', () => {
    const key = randomBytes(32).toString('base64');
    expect(usesDevelopmentMasterKey(privacyConfig({ KEYSTORE_MASTER_KEY: key }))).toBe(false);
    expect(() => privacyConfig({ KEYSTORE_MASTER_KEY: randomBytes(16).toString('base64') })).toThrow(
      /KEYSTORE_MASTER_KEY=.*exactly 32 bytes/,
    );
    expect(() => privacyConfig({ KEYSTORE_MASTER_KEY: 'not base64!' })).toThrow(
      /KEYSTORE_MASTER_KEY=.*base64/,
    );
  });

  it('refuses the development key in production, and warns of it in development', () => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) };
    expect(() => masterKeyOf(privacyConfig({ DEEDSTREAM_DEPLOYMENT: 'production' }), logger)).toThrow(
      /KEYSTORE_MASTER_KEY is the public development key, which DEEDSTREAM_DEPLOYMENT=production refuses/,
    );
    expect(warnings).toEqual([]);
    masterKeyOf(privacyConfig({}), logger);
    expect(warnings).toEqual([expect.stringMatching(/public development key/)]);
    const own = randomBytes(32).toString('base64');
    masterKeyOf(privacyConfig({ DEEDSTREAM_DEPLOYMENT: 'production', KEYSTORE_MASTER_KEY: own }), logger);
    expect(warnings).toHaveLength(1);
    expect(() => privacyConfig({ DEEDSTREAM_DEPLOYMENT: 'prod' })).toThrow(
      /DEEDSTREAM_DEPLOYMENT="prod": development or production/,
    );
  });
});
