import { z } from 'zod';
import { ConfigError, loadConfig } from '../config/load-config';
import { deploymentVariable, millisecondsVariable } from '../config/variables';
import type { Logger } from '../observability/logger';
import { DATA_KEY_BYTES } from './key-store';
import { MasterKey } from './master-key';

/**
 * The master key used when KEYSTORE_MASTER_KEY is not set: base64 of the 32 ASCII bytes
 * "deedstream-local-dev-master-key!". Public, for local development and tests only: any
 * real deployment sets its own (or puts a KMS behind the KeyStore interface).
 */
export const LOCAL_DEVELOPMENT_MASTER_KEY = Buffer.from('deedstream-local-dev-master-key!', 'ascii').toString(
  'base64',
);

const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64')
  .refine((value) => Buffer.from(value, 'base64').length === DATA_KEY_BYTES, {
    message: `expected base64 of exactly ${DATA_KEY_BYTES} bytes (e.g. openssl rand -base64 32)`,
  });

export const privacySchema = z.object({
  DEEDSTREAM_DEPLOYMENT: deploymentVariable(),
  KEYSTORE_MASTER_KEY: base64Key
    .default(LOCAL_DEVELOPMENT_MASTER_KEY)
    .describe('wraps every stored data key (base64, 32 bytes); the default is public, for local use only'),
  KEYSTORE_CACHE_TTL_MS: millisecondsVariable(
    30_000,
    'how long a process keeps a data key in memory (0 = no cache): the longest time another process may still decrypt after an erasure',
  ),
  KEYSTORE_CACHE_MAX_KEYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(10_000)
    .describe('data keys a process keeps in memory at most (least recently used go first)'),
});

export type PrivacyConfig = z.infer<typeof privacySchema>;

export function privacyConfig(env: NodeJS.ProcessEnv = process.env): PrivacyConfig {
  return loadConfig(privacySchema, env);
}

/**
 * The master key to wrap data keys with. The public development key is refused outright in
 * production (a ConfigError: the process exits with one line) and logged as a warning
 * otherwise, so no deployment ends up with it silently.
 */
export function masterKeyOf(config: PrivacyConfig, logger?: Pick<Logger, 'warn'>): MasterKey {
  if (usesDevelopmentMasterKey(config)) {
    if (config.DEEDSTREAM_DEPLOYMENT === 'production') {
      throw new ConfigError(
        'KEYSTORE_MASTER_KEY is the public development key, which DEEDSTREAM_DEPLOYMENT=production refuses: set a key of your own (openssl rand -base64 32)',
      );
    }
    logger?.warn('KEYSTORE_MASTER_KEY is the public development key: set your own outside development');
  }
  return new MasterKey(Buffer.from(config.KEYSTORE_MASTER_KEY, 'base64'));
}

/** True when the public development master key is in use. */
export function usesDevelopmentMasterKey(config: PrivacyConfig): boolean {
  return config.KEYSTORE_MASTER_KEY === LOCAL_DEVELOPMENT_MASTER_KEY;
}
