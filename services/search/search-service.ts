import { searchApi } from './api/search-openapi';
import { readModelService } from '../shared/projection/read-model-service';
import { searchRoutes } from './api/search-routes';
import { propertySearchProjection } from './projections/property-search-projection';
import { searchConfig } from './search-config';

/** The property search read model: its projector (consumer group) and its query API. */
export const searchService = readModelService({
  service: 'search',
  summary: `GET /search/properties; projector group projection.${propertySearchProjection.name} → alias ${propertySearchProjection.alias}`,
  projection: propertySearchProjection,
  loadConfig: searchConfig,
  port: (config) => config.SEARCH_PORT,
  api: searchApi,
  routes: ({ es, waitForToken }) => searchRoutes({ es, alias: propertySearchProjection.alias, waitForToken }),
});
