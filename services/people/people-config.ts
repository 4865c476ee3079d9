import type { z } from 'zod';
import { infrastructureSchema } from '../shared/service/infrastructure';
import { loadConfig } from '../shared/config/load-config';
import { retentionSchema } from '../shared/config/retention';
import { poolVariable, portVariable } from '../shared/config/variables';
import { privacySchema } from '../shared/privacy/privacy-config';

export const peopleConfigSchema = infrastructureSchema
  .extend(retentionSchema.shape)
  .extend(privacySchema.shape)
  .extend({
    PEOPLE_PORT: portVariable(3008, 'the People service'),
    PEOPLE_DB_POOL: poolVariable(10, 'the People service'),
    KEYSTORE_DB_POOL: poolVariable(4, 'the key store (keys and erasure evidence)'),
  });

export type PeopleConfig = z.infer<typeof peopleConfigSchema>;

export function peopleConfig(env: NodeJS.ProcessEnv = process.env): PeopleConfig {
  return loadConfig(peopleConfigSchema, env);
}
