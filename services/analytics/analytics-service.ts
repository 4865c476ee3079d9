import { analyticsApi } from './api/analytics-openapi';
import { readModelService } from '../shared/projection/read-model-service';
import { analyticsConfig } from './analytics-config';
import { analyticsRoutes } from './api/analytics-routes';
import { marketAnalyticsProjection } from './projections/market-analytics-projection';

/** The market analytics read model: its projector (consumer group) and its query API. */
export const analyticsService = readModelService({
  service: 'analytics',
  summary: `GET /analytics/markets/:city, /analytics/properties/:id; projector group projection.${marketAnalyticsProjection.name} → alias ${marketAnalyticsProjection.alias}`,
  projection: marketAnalyticsProjection,
  loadConfig: analyticsConfig,
  port: (config) => config.ANALYTICS_PORT,
  api: analyticsApi,
  routes: ({ es, runner, waitForToken }) =>
    analyticsRoutes({
      es,
      alias: marketAnalyticsProjection.alias,
      factsAlias: runner.store.factsAlias,
      waitForToken,
    }),
});
