import { readModelService } from '../shared/projection/read-model-service';
import { valuationApi } from './api/valuation-openapi';
import { valuationRoutes } from './api/valuation-routes';
import { valuationProjection } from './projections/valuation-projection';
import { valuationConfig, valuationSettingsOf } from './valuation-config';

/** Automated valuations: the read model of properties and sales (a consumer group) and the valuation API. */
export const valuationService = readModelService({
  service: 'valuation',
  summary: `GET /valuations/:propertyId, /valuations?city=…; projector group projection.${valuationProjection.name} → alias ${valuationProjection.alias}`,
  projection: valuationProjection,
  loadConfig: valuationConfig,
  port: (config) => config.VALUATION_PORT,
  api: valuationApi,
  routes: ({ es, waitForToken, config }) =>
    valuationRoutes({
      es,
      alias: valuationProjection.alias,
      waitForToken,
      settings: valuationSettingsOf(config),
    }),
});
