import { z } from 'zod';
import { infrastructureSchema } from '../shared/config/infrastructure';
import { loadConfig } from '../shared/config/load-config';

export const contractConfigSchema = infrastructureSchema.extend({
  CONTRACT_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(3006)
    .describe('HTTP port of the contract service'),
  CONTRACT_DB_POOL: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(10)
    .describe('Postgres connections of the contract service'),
});

export type ContractConfig = z.infer<typeof contractConfigSchema>;

export function contractConfig(env: NodeJS.ProcessEnv = process.env): ContractConfig {
  return loadConfig(contractConfigSchema, env);
}
