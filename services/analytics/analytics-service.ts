import { createReadModelService, type ReadModelService } from '../shared/projection/read-model-service';
import type { AnalyticsConfig } from './analytics-config';
import { analyticsRoutes } from './api/analytics-routes';
import { marketAnalyticsProjection } from './projections/market-analytics-projection';
import type { MarketPropertyDocument } from './projections/market-property-document';

export type AnalyticsService = ReadModelService<MarketPropertyDocument>;

/** The market analytics read model: its projector (consumer group) and its query API. */
export function createAnalyticsService(config: AnalyticsConfig): AnalyticsService {
  return createReadModelService({
    service: 'analytics',
    projection: marketAnalyticsProjection,
    config,
    port: config.ANALYTICS_PORT,
    routes: ({ es, runner, waitForToken }) =>
      analyticsRoutes({
        es,
        alias: marketAnalyticsProjection.alias,
        factsAlias: runner.store.factsAlias,
        waitForToken,
      }),
  });
}
