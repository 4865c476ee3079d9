import {
  jsonResponse,
  problemResponse,
  type ApiDescription,
} from '../../shared/http/openapi/api-description';
import { consistencyHeaders, readModelUnavailable } from '../../shared/http/openapi/read-model-operations';
import { searchDocument, searchResult } from './response-schemas';
import { propertyStatuses } from '../../property/published';
import { searchQuerySchema, searchSorts } from './search-query';
import { propertyTypes } from '../../property/published';
import { documentId, documentQuery } from './search-routes';

/** The search service's REST API; the schemas are those search-routes validates with. */
export const searchApi: ApiDescription = {
  title: 'search',
  description: 'Faceted, paged property search over the search read model (Elasticsearch).',
  operations: [
    {
      method: 'get',
      path: '/search/properties',
      operationId: 'searchProperties',
      summary: 'Search properties: free text, filters, geo distance, facets, cursor paging',
      description: [
        `status: one or more of ${propertyStatuses.join(', ')}; type: one or more of ${propertyTypes.join(', ')} (comma-separated or repeated).`,
        `sort: ${searchSorts.join(', ')} (default relevance with q, else -listedAt); distance needs lat, lon and radiusKm, which go together.`,
        "agency: the listing agent's agency (the whole name, any case); agent: the listing agent's person id.",
        'minPrice must not exceed maxPrice; a cursor belongs to the sort it was made for. Unknown parameters are a 400.',
      ].join('\n\n'),
      token: 'none',
      query: searchQuerySchema,
      headers: consistencyHeaders,
      responses: {
        200: jsonResponse('A page of hits, the total and the facets.', searchResult),
        400: problemResponse('Invalid query; `errors` names every bad parameter.'),
        503: readModelUnavailable,
      },
    },
    {
      method: 'get',
      path: '/search/properties/:id',
      operationId: 'getSearchDocument',
      summary: 'One property as search holds it',
      token: 'none',
      params: { id: documentId },
      query: documentQuery,
      headers: consistencyHeaders,
      responses: {
        200: jsonResponse('The document.', searchDocument),
        400: problemResponse('Invalid id or query.'),
        404: problemResponse('Search holds no such property.'),
        503: readModelUnavailable,
      },
    },
  ],
};
