import { z } from 'zod';
import { infrastructureSchema } from '../shared/config/infrastructure';
import { loadConfig } from '../shared/config/load-config';
import { retentionSchema } from '../shared/config/retention';

export const propertyConfigSchema = infrastructureSchema.extend(retentionSchema.shape).extend({
  PROPERTY_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3001)
    .describe('HTTP port of the property service'),
  PROPERTY_DB_POOL: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(20)
    .describe('Postgres connections of the property service'),
});

export type PropertyConfig = z.infer<typeof propertyConfigSchema>;

export function propertyConfig(env: NodeJS.ProcessEnv = process.env): PropertyConfig {
  return loadConfig(propertyConfigSchema, env);
}
