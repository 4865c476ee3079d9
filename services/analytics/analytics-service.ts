import type { Server } from 'node:http';
import { createServiceApp } from '../shared/http/service-app';
import { waitForAppliedVersion } from '../shared/projection/consistency-token';
import { createProjectionDeps } from '../shared/projection/projection-deps';
import { ProjectionRunner } from '../shared/projection/projection-runner';
import type { AnalyticsConfig } from './analytics-config';
import { analyticsRoutes } from './api/analytics-routes';
import { marketAnalyticsProjection } from './projections/market-analytics-projection';
import type { MarketPropertyDocument } from './projections/market-property-document';

export interface AnalyticsService {
  runner: ProjectionRunner<MarketPropertyDocument>;
  listen(port?: number): Promise<Server>;
  close(): Promise<void>;
}

/** The market analytics read model: its projector (consumer group) and its query API. */
export function createAnalyticsService(config: AnalyticsConfig): AnalyticsService {
  const { deps, metrics, logger, runnerOptions } = createProjectionDeps('analytics', config);
  const runner = new ProjectionRunner(deps, marketAnalyticsProjection, runnerOptions);
  const alias = marketAnalyticsProjection.alias;
  const factsAlias = runner.store.factsAlias;

  const waitForToken = (token: string) =>
    waitForAppliedVersion(
      token,
      async (id) => (await runner.store.getMany([id])).get(id)?.version,
      config.CONSISTENCY_WAIT_MS,
      // The document and its facts were written in one bulk request; a refresh of both makes
      // them visible to aggregations, not just to get.
      async () => {
        await deps.es.indices.refresh({ index: [alias, factsAlias] });
      },
    );

  const app = createServiceApp({
    logger,
    metrics,
    routes: (a) => a.use(analyticsRoutes({ es: deps.es, alias, factsAlias, waitForToken })),
    health: async () => ({ projection: runner.projection.name, lag: runner.totalLag }),
  });

  let server: Server | undefined;
  return {
    runner,
    listen: async (port = config.ANALYTICS_PORT) => {
      await runner.start();
      return new Promise((resolve, reject) => {
        const s = app.listen(port, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
        server = s;
      });
    },
    close: async () => {
      if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
      await runner.stop();
      await deps.es.close();
    },
  };
}
