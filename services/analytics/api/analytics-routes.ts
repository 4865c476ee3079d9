import { Router } from 'express';
import type { AnalyticsRoutesDeps } from './analytics-api-deps';
import { readMarketProperty } from './market-property-read';
import { readMarketReport } from './market-report-read';

export type { AnalyticsRoutesDeps } from './analytics-api-deps';

/** The query side of market analytics: daily market figures and single properties. */
export function analyticsRoutes({
  es,
  alias = 'market-properties',
  factsAlias = `${alias}-facts`,
  waitForToken,
  now = () => new Date(),
}: AnalyticsRoutesDeps): Router {
  const reads = { es, alias, factsAlias, waitForToken, now };
  return Router()
    .get('/analytics/markets/:city', readMarketReport(reads))
    .get('/analytics/properties/:id', readMarketProperty(reads));
}
