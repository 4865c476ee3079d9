import type { searchDocument, searchResult } from './response-schemas';
import type { Client } from '@elastic/elasticsearch';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import {
  consistencyTokenOf,
  consistencyTokenParam,
  readModelDocument,
  unavailableWithoutIndex,
} from '../../shared/http/read-model';
import type { PropertySearchDocument } from '../projections/property-search-document';
import { buildSearchRequest, searchQuerySchema, type SearchAggregations } from './search-query';
import { toSearchResult } from './search-response';
import { listingAgentPresenter } from './listing-agent-presenter';
import type { FieldCipher } from '../../shared/privacy/field-cipher';

export interface SearchRoutesDeps {
  es: Client;
  /** The alias the property search projection writes behind. */
  alias?: string;
  /** Resolves once the write named by a consistency token is searchable; throws a 503 problem on timeout. */
  waitForToken: (token: string) => Promise<void>;
  /** Decrypts listing agents' names per answer (their keys, cached for KEYSTORE_CACHE_TTL_MS). */
  cipher: FieldCipher;
}

export const documentQuery = z.strictObject({ consistentWith: consistencyTokenParam.optional() });
export const documentId = z.string().trim().min(1, 'must not be blank').max(100, 'at most 100 characters');

/** The query side of property search: faceted, paged search and single documents. */
export function searchRoutes({ es, alias = 'properties', waitForToken, cipher }: SearchRoutesDeps): Router {
  const router = Router();
  const present = listingAgentPresenter(cipher);

  /** Read-your-writes: a client that just wrote passes its token and sees that write. */
  const awaitConsistency = async (req: Request, fromQuery: string | undefined) => {
    const consistencyToken = consistencyTokenOf(req, fromQuery);
    if (consistencyToken !== undefined) await waitForToken(consistencyToken);
  };

  router.get('/search/properties', async (req, res) => {
    const params = parseOr400(searchQuerySchema, req.query, 'query');
    await awaitConsistency(req, params.consistentWith);
    const response = await unavailableWithoutIndex('Search', alias, () =>
      es.search<PropertySearchDocument, SearchAggregations>({ index: alias, ...buildSearchRequest(params) }),
    );
    const result = toSearchResult(response, params);
    const items = await Promise.all(result.items.map(present));
    res.json({ ...result, items } satisfies z.output<typeof searchResult>);
  });

  router.get('/search/properties/:id', async (req: Request<{ id: string }>, res) => {
    const id = parseOr400(documentId, req.params.id, 'path.id');
    const query = parseOr400(documentQuery, req.query, 'query');
    await awaitConsistency(req, query.consistentWith);
    const document = await readModelDocument<PropertySearchDocument>(es, 'Search', alias, id);
    if (!document) throw HttpProblem.notFound(`property ${id}`);
    res.json((await present(document)) satisfies z.output<typeof searchDocument>);
  });

  return router;
}
