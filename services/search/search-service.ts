import { searchApi } from './api/search-openapi';
import { readModelService } from '../shared/projection/read-model-service';
import { searchRoutes } from './api/search-routes';
import { propertySearchProjection } from './projections/property-search-projection';
import { searchConfig } from './search-config';
import { CachingKeyStore } from '../shared/privacy/caching-key-store';
import { FieldCipher } from '../shared/privacy/field-cipher';
import { KEYSTORE_SCHEMA } from '../shared/privacy/keystore-tables';
import { PostgresKeyStore } from '../shared/privacy/postgres-key-store';
import { masterKeyOf } from '../shared/privacy/privacy-config';

/** The property search read model: its projector (consumer group) and its query API. */
export const searchService = readModelService({
  service: 'search',
  summary: `GET /search/properties; projector group projection.${propertySearchProjection.name} → alias ${propertySearchProjection.alias}`,
  projection: propertySearchProjection,
  loadConfig: searchConfig,
  port: (config) => config.SEARCH_PORT,
  api: searchApi,
  routes: ({ es, waitForToken, runtime, config }) => {
    const keys = new CachingKeyStore(
      new PostgresKeyStore(
        runtime.database<unknown>(KEYSTORE_SCHEMA, config.KEYSTORE_DB_POOL),
        masterKeyOf(config, runtime.logger),
      ),
      { ttlMs: config.KEYSTORE_CACHE_TTL_MS, maxKeys: config.KEYSTORE_CACHE_MAX_KEYS },
    );
    return searchRoutes({
      es,
      alias: propertySearchProjection.alias,
      waitForToken,
      cipher: new FieldCipher(keys),
    });
  },
});
