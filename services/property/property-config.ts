import { z } from 'zod';
import { infrastructureSchema } from '../shared/config/infrastructure';
import { loadConfig } from '../shared/config/load-config';

export const propertyConfigSchema = infrastructureSchema.extend({
  PROPERTY_PORT: z.coerce
    .number()
    .int()
    .min(1)
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
  OUTBOX_RETENTION_HOURS: z.coerce
    .number()
    .min(0)
    .default(24)
    .describe('How long relayed outbox rows are kept for inspection before housekeeping deletes them'),
});

export type PropertyConfig = z.infer<typeof propertyConfigSchema>;

export function propertyConfig(env: NodeJS.ProcessEnv = process.env): PropertyConfig {
  return loadConfig(propertyConfigSchema, env);
}
