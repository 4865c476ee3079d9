import {
  jsonResponse,
  problemResponse,
  type ApiDescription,
} from '../../shared/http/openapi/api-description';
import { consistencyHeaders, readModelUnavailable } from '../../shared/http/openapi/read-model-operations';
import { propertyId, propertyQuery } from './request-schemas';
import { cityParamSchema, DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS, marketQuerySchema } from './market-query';
import { marketProperty, marketReport } from './response-schemas';

/** The analytics service's REST API; the schemas are those its handlers validate with. */
export const analyticsApi: ApiDescription = {
  title: 'analytics',
  description: 'Daily market figures per city and the market history of single properties.',
  operations: [
    {
      method: 'get',
      path: '/analytics/markets/:city',
      operationId: 'getMarket',
      summary: 'Daily market figures of a city (optionally one postal code)',
      description: `Days are UTC, YYYY-MM-DD, both ends included; without from/to the last ${DEFAULT_RANGE_DAYS} days up to today, at most ${MAX_RANGE_DAYS} days.`,
      token: 'none',
      params: { city: cityParamSchema },
      // The shape of the query does not depend on the day it is checked against.
      query: marketQuerySchema('2026-01-01'),
      headers: consistencyHeaders,
      responses: {
        200: jsonResponse('One entry per day of the range, and totals.', marketReport),
        400: problemResponse('Invalid city or query; `errors` names every bad parameter.'),
        503: readModelUnavailable,
      },
    },
    {
      method: 'get',
      path: '/analytics/properties/:id',
      operationId: 'getMarketProperty',
      summary: 'One property as market analytics holds it (days on market to now while on the market)',
      token: 'none',
      params: { id: propertyId },
      query: propertyQuery,
      headers: consistencyHeaders,
      responses: {
        200: jsonResponse('The document.', marketProperty),
        400: problemResponse('Invalid id or query.'),
        404: problemResponse('Analytics holds no such property.'),
        503: readModelUnavailable,
      },
    },
  ],
};
