import { z } from 'zod';
import { infrastructureSchema } from '../shared/config/infrastructure';
import { loadConfig } from '../shared/config/load-config';

export const titleConfigSchema = infrastructureSchema.extend({
  TITLE_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(3007)
    .describe('HTTP port of the title service'),
  TITLE_DB_POOL: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(10)
    .describe('Postgres connections of the title service'),
});

export type TitleConfig = z.infer<typeof titleConfigSchema>;

export function titleConfig(env: NodeJS.ProcessEnv = process.env): TitleConfig {
  return loadConfig(titleConfigSchema, env);
}
