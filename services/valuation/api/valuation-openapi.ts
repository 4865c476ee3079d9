import {
  jsonResponse,
  problemResponse,
  type ApiDescription,
} from '../../shared/http/openapi/api-description';
import { consistencyHeaders, readModelUnavailable } from '../../shared/http/openapi/read-model-operations';
import { describedValuationQuery, listedValuationQuery, propertyIdParam } from './request-schemas';
import { valuationJson } from './response-schemas';

const method = [
  'The sales comparison approach: the most similar recent sales nearby (by distance, age, area, bedrooms, bathrooms and type), each price per m² moved to today along the city’s fitted price-per-m² trend, weighted by similarity.',
  'The band is an 80 % prediction interval from the comparables’ spread. Too few comparables is an answer (`outcome: insufficient-comparables`, no estimate), not an error.',
].join('\n\n');

/** The valuation service's REST API; the schemas are those its handlers validate with. */
export const valuationApi: ApiDescription = {
  title: 'valuation',
  description: 'Automated valuations of listed and described properties from comparable sales.',
  operations: [
    {
      method: 'get',
      path: '/valuations/:propertyId',
      operationId: 'valueListedProperty',
      summary: 'An estimate of a listed property’s value from comparable sales',
      description: method,
      token: 'none',
      params: { propertyId: propertyIdParam },
      query: listedValuationQuery,
      headers: consistencyHeaders,
      responses: {
        200: jsonResponse(
          'The valuation, or the answer that there are not enough comparables.',
          valuationJson,
        ),
        400: problemResponse('Invalid id or query.'),
        404: problemResponse('Valuation holds no such property.'),
        503: readModelUnavailable,
      },
    },
    {
      method: 'get',
      path: '/valuations',
      operationId: 'valueDescribedProperty',
      summary: 'An estimate for a property described by its city, type, area, rooms and position',
      description: method,
      token: 'none',
      query: describedValuationQuery,
      responses: {
        200: jsonResponse(
          'The valuation, or the answer that there are not enough comparables.',
          valuationJson,
        ),
        400: problemResponse('A missing or invalid feature; `errors` names every one.'),
        503: readModelUnavailable,
      },
    },
  ],
};
