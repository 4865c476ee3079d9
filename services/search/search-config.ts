import type { z } from 'zod';
import { loadConfig } from '../shared/config/load-config';
import { portVariable } from '../shared/config/variables';
import { projectionConfigSchema } from '../shared/projection/projection-config';

export const searchConfigSchema = projectionConfigSchema.extend({
  SEARCH_PORT: portVariable(3002, 'the search API'),
});

export type SearchConfig = z.infer<typeof searchConfigSchema>;

export function searchConfig(env: NodeJS.ProcessEnv = process.env): SearchConfig {
  return loadConfig(searchConfigSchema, env);
}
