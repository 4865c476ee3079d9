import type { z } from 'zod';
import { loadConfig } from '../shared/config/load-config';
import { poolVariable, portVariable } from '../shared/config/variables';
import { privacySchema } from '../shared/privacy/privacy-config';
import { projectionConfigSchema } from '../shared/projection/projection-config';

export const searchConfigSchema = projectionConfigSchema.extend(privacySchema.shape).extend({
  SEARCH_PORT: portVariable(3002, 'the search API'),
  KEYSTORE_DB_POOL: poolVariable(2, 'the key store (decrypting listing agents)'),
});

export type SearchConfig = z.infer<typeof searchConfigSchema>;

export function searchConfig(env: NodeJS.ProcessEnv = process.env): SearchConfig {
  return loadConfig(searchConfigSchema, env);
}
