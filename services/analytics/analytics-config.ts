import { z } from 'zod';
import { loadConfig } from '../shared/config/load-config';
import { projectionConfigSchema } from '../shared/projection/projection-config';

export const analyticsConfigSchema = projectionConfigSchema.extend({
  ANALYTICS_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(3003)
    .describe('HTTP port of the market analytics API'),
});

export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;

export function analyticsConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  return loadConfig(analyticsConfigSchema, env);
}
