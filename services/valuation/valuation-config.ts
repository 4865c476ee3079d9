import { z } from 'zod';
import { ConfigError, loadConfig } from '../shared/config/load-config';
import { portVariable } from '../shared/config/variables';
import { projectionConfigSchema, refreshIntervalVariable } from '../shared/projection/projection-config';
import type { ValuationSettings } from './estimate/value-property';

export const valuationConfigSchema = projectionConfigSchema.extend({
  VALUATION_PORT: portVariable(3009, 'the valuation API'),
  // A sale that is a second late changes no valuation; each refresh costs Elasticsearch a segment.
  PROJECTION_REFRESH_INTERVAL: refreshIntervalVariable(
    '1s',
    'refresh_interval of the valuation document index (the search index: 250ms)',
  ),
  VALUATION_RADIUS_KM: z.coerce
    .number()
    .positive()
    .max(100)
    .default(5)
    .describe('how far (km) a sale may be from the property and still be a comparable'),
  VALUATION_WINDOW_DAYS: z.coerce
    .number()
    .int()
    .min(30)
    .max(3650)
    .default(365)
    .describe('how recent (days) a comparable sale must be; also the history the market trend is fitted to'),
  VALUATION_MAX_COMPARABLES: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(8)
    .describe('at most this many comparables, the most similar, make an estimate'),
  VALUATION_MIN_COMPARABLES: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(3)
    .describe('with fewer comparables than this the answer is "not enough comparables"'),
});

export type ValuationConfig = z.infer<typeof valuationConfigSchema>;

export function valuationConfig(env: NodeJS.ProcessEnv = process.env): ValuationConfig {
  const config = loadConfig(valuationConfigSchema, env);
  if (config.VALUATION_MIN_COMPARABLES > config.VALUATION_MAX_COMPARABLES) {
    throw new ConfigError(
      `VALUATION_MIN_COMPARABLES (${config.VALUATION_MIN_COMPARABLES}) exceeds VALUATION_MAX_COMPARABLES (${config.VALUATION_MAX_COMPARABLES}): no valuation could ever be made`,
    );
  }
  return config;
}

/** The estimator's settings from the configuration. */
export function valuationSettingsOf(config: ValuationConfig): ValuationSettings {
  return {
    radiusKm: config.VALUATION_RADIUS_KM,
    windowDays: config.VALUATION_WINDOW_DAYS,
    maxComparables: config.VALUATION_MAX_COMPARABLES,
    minComparables: config.VALUATION_MIN_COMPARABLES,
  };
}
