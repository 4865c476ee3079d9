import { z } from 'zod';
import { loadConfig } from '../shared/config/load-config';
import { projectionConfigSchema } from '../shared/projection/projection-config';

export const searchConfigSchema = projectionConfigSchema.extend({
  SEARCH_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(3002)
    .describe('HTTP port of the search API'),
});

export type SearchConfig = z.infer<typeof searchConfigSchema>;

export function searchConfig(env: NodeJS.ProcessEnv = process.env): SearchConfig {
  return loadConfig(searchConfigSchema, env);
}
