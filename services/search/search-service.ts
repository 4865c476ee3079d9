import type { Server } from 'node:http';
import { createServiceApp } from '../shared/http/service-app';
import { waitForAppliedVersion } from '../shared/projection/consistency-token';
import { createProjectionDeps } from '../shared/projection/projection-deps';
import { ProjectionRunner } from '../shared/projection/projection-runner';
import { searchRoutes } from './api/search-routes';
import { propertySearchProjection } from './projections/property-search-projection';
import type { SearchConfig } from './search-config';

export interface SearchService {
  runner: ProjectionRunner<import('./projections/property-search-document').PropertySearchDocument>;
  listen(port?: number): Promise<Server>;
  close(): Promise<void>;
}

/** The property search read model: its projector (consumer group) and its query API. */
export function createSearchService(config: SearchConfig): SearchService {
  const { deps, metrics, logger, runnerOptions } = createProjectionDeps('search', config);
  const runner = new ProjectionRunner(deps, propertySearchProjection, runnerOptions);
  const alias = propertySearchProjection.alias;

  const waitForToken = (token: string) =>
    waitForAppliedVersion(
      token,
      async (id) => (await runner.store.getMany([id])).get(id)?.version,
      config.CONSISTENCY_WAIT_MS,
      // The document is applied; a refresh makes it visible to search, not just to get.
      async () => {
        await deps.es.indices.refresh({ index: alias });
      },
    );

  const app = createServiceApp({
    logger,
    metrics,
    routes: (a) => a.use(searchRoutes({ es: deps.es, alias, waitForToken })),
    health: async () => ({ projection: runner.projection.name, lag: runner.totalLag }),
  });

  let server: Server | undefined;
  return {
    runner,
    listen: async (port = config.SEARCH_PORT) => {
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
