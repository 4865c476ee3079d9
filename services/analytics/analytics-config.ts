import type { z } from 'zod';
import { loadConfig } from '../shared/config/load-config';
import { portVariable } from '../shared/config/variables';
import { projectionConfigSchema } from '../shared/projection/projection-config';

export const analyticsConfigSchema = projectionConfigSchema.extend({
  ANALYTICS_PORT: portVariable(3003, 'the market analytics API'),
});

export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;

export function analyticsConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  return loadConfig(analyticsConfigSchema, env);
}
