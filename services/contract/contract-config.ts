import type { z } from 'zod';
import { infrastructureSchema } from '../shared/service/infrastructure';
import { loadConfig } from '../shared/config/load-config';
import { retentionSchema } from '../shared/config/retention';
import { poolVariable, portVariable } from '../shared/config/variables';

export const contractConfigSchema = infrastructureSchema.extend(retentionSchema.shape).extend({
  CONTRACT_PORT: portVariable(3006, 'the contract service'),
  CONTRACT_DB_POOL: poolVariable(10, 'the contract service'),
});

export type ContractConfig = z.infer<typeof contractConfigSchema>;

export function contractConfig(env: NodeJS.ProcessEnv = process.env): ContractConfig {
  return loadConfig(contractConfigSchema, env);
}
