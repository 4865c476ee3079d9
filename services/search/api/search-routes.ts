import { errors, type Client } from '@elastic/elasticsearch';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import type { PropertySearchDocument } from '../projections/property-search-document';
import { buildSearchRequest, searchQuerySchema, type SearchAggregations } from './search-query';
import { toSearchResult } from './search-response';

export interface SearchRoutesDeps {
  es: Client;
  /** The alias the property search projection writes behind. */
  alias?: string;
  /** Resolves once the write named by a consistency token is searchable; throws a 503 problem on timeout. */
  waitForToken: (token: string) => Promise<void>;
}

const CONSISTENCY_HEADER = 'X-Consistency-Token';
const token = z.string().trim().min(1, 'must not be blank').max(200, 'at most 200 characters');
const documentQuery = z.strictObject({ consistentWith: token.optional() });
const documentId = z.string().trim().min(1, 'must not be blank').max(100, 'at most 100 characters');

/** The query side of property search: faceted, paged search and single documents. */
export function searchRoutes({ es, alias = 'properties', waitForToken }: SearchRoutesDeps): Router {
  const router = Router();

  /** Read-your-writes: a client that just wrote passes its token and sees that write. */
  const awaitConsistency = async (req: Request, fromQuery: string | undefined) => {
    const consistencyToken = consistencyTokenOf(req, fromQuery);
    if (consistencyToken !== undefined) await waitForToken(consistencyToken);
  };

  router.get('/search/properties', async (req, res) => {
    const params = parseOr400(searchQuerySchema, req.query, 'query');
    await awaitConsistency(req, params.consistentWith);
    const response = await unavailableWithoutIndex(alias, () =>
      es.search<PropertySearchDocument, SearchAggregations>({ index: alias, ...buildSearchRequest(params) }),
    );
    res.json(toSearchResult(response, params));
  });

  router.get('/search/properties/:id', async (req: Request<{ id: string }>, res) => {
    const id = parseOr400(documentId, req.params.id, 'path.id');
    const query = parseOr400(documentQuery, req.query, 'query');
    await awaitConsistency(req, query.consistentWith);
    const document = await unavailableWithoutIndex(alias, async () => {
      try {
        return (await es.get<PropertySearchDocument>({ index: alias, id }))._source;
      } catch (error) {
        // A missing document is a 404 with found=false; a missing index is not "not found".
        if (error instanceof errors.ResponseError && error.statusCode === 404 && !isIndexNotFound(error)) {
          return undefined;
        }
        throw error;
      }
    });
    if (!document) throw HttpProblem.notFound(`property ${id}`);
    res.json(document);
  });

  return router;
}

/** The token from the header or from `consistentWith`; two different tokens are a 400. */
function consistencyTokenOf(req: Request, fromQuery: string | undefined): string | undefined {
  const header = req.header(CONSISTENCY_HEADER);
  const fromHeader =
    header === undefined ? undefined : parseOr400(token, header, `header.${CONSISTENCY_HEADER}`);
  if (fromHeader !== undefined && fromQuery !== undefined && fromHeader !== fromQuery) {
    throw HttpProblem.validation([
      { field: `header.${CONSISTENCY_HEADER}`, message: 'differs from query.consistentWith; give one token' },
      { field: 'query.consistentWith', message: `differs from header ${CONSISTENCY_HEADER}; give one token` },
    ]);
  }
  return fromHeader ?? fromQuery;
}

function isIndexNotFound(error: errors.ResponseError): boolean {
  const body = error.body as { error?: { type?: string } } | undefined;
  return body?.error?.type === 'index_not_found_exception';
}

/** Before the projector has created the alias there is nothing to search: a 503, not a 500. */
async function unavailableWithoutIndex<T>(alias: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof errors.ResponseError && isIndexNotFound(error)) {
      throw new HttpProblem(
        503,
        'Search unavailable',
        `the search index "${alias}" does not exist yet; retry shortly`,
        {},
        undefined,
        { 'Retry-After': '5' },
      );
    }
    throw error;
  }
}
