import { createReadModelService, type ReadModelService } from '../shared/projection/read-model-service';
import { searchRoutes } from './api/search-routes';
import type { PropertySearchDocument } from './projections/property-search-document';
import { propertySearchProjection } from './projections/property-search-projection';
import type { SearchConfig } from './search-config';

export type SearchService = ReadModelService<PropertySearchDocument>;

/** The property search read model: its projector (consumer group) and its query API. */
export function createSearchService(config: SearchConfig): SearchService {
  return createReadModelService({
    service: 'search',
    projection: propertySearchProjection,
    config,
    port: config.SEARCH_PORT,
    routes: ({ es, waitForToken }) =>
      searchRoutes({ es, alias: propertySearchProjection.alias, waitForToken }),
  });
}
