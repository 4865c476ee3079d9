import type { z } from 'zod';
import { infrastructureSchema } from '../shared/service/infrastructure';
import { loadConfig } from '../shared/config/load-config';
import { retentionSchema } from '../shared/config/retention';
import { poolVariable, portVariable } from '../shared/config/variables';

export const titleConfigSchema = infrastructureSchema.extend(retentionSchema.shape).extend({
  TITLE_PORT: portVariable(3007, 'the title service'),
  TITLE_DB_POOL: poolVariable(10, 'the title service'),
});

export type TitleConfig = z.infer<typeof titleConfigSchema>;

export function titleConfig(env: NodeJS.ProcessEnv = process.env): TitleConfig {
  return loadConfig(titleConfigSchema, env);
}
