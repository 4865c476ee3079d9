import type { z } from 'zod';
import { loadConfig } from '../shared/config/load-config';
import { portVariable } from '../shared/config/variables';
import { projectionConfigSchema, refreshIntervalVariable } from '../shared/projection/projection-config';

export const analyticsConfigSchema = projectionConfigSchema.extend({
  ANALYTICS_PORT: portVariable(3003, 'the market analytics API'),
  // Market statistics need not be fresh to the quarter second; each refresh costs Elasticsearch a segment.
  PROJECTION_REFRESH_INTERVAL: refreshIntervalVariable(
    '1s',
    'refresh_interval of the market analytics document index (the search index: 250ms)',
  ),
});

export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;

export function analyticsConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  return loadConfig(analyticsConfigSchema, env);
}
