import type { marketProperty, marketReport } from './response-schemas';
import { errors, type Client } from '@elastic/elasticsearch';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { HttpProblem } from '../../shared/http/problem';
import { fieldErrors, parseOr400 } from '../../shared/http/validation';
import { utcDay } from '../calendar-day';
import { daysOnMarket } from '../projections/days-on-market';
import type { MarketFactDocument } from '../projections/market-fact-document';
import type { MarketPropertyDocument } from '../projections/market-property-document';
import {
  buildActiveListingsRequest,
  buildFactsRequest,
  cityParamSchema,
  consistencyTokenSchema,
  marketQuerySchema,
  type MarketParams,
} from './market-query';
import { toMarketReport, type ActiveListingsAggregations, type FactsAggregations } from './market-response';
import { consistencyTokenOf, isIndexNotFound, unavailableWithoutIndex } from '../../shared/http/read-model';

export interface AnalyticsRoutesDeps {
  es: Client;
  /** The alias the market analytics projection writes its per-property documents behind. */
  alias?: string;
  /** Where its facts are; `<alias>-facts` unless given. */
  factsAlias?: string;
  /** Resolves once the write named by a consistency token is searchable; throws a 503 problem on timeout. */
  waitForToken: (token: string) => Promise<void>;
  /** The clock for default ranges and days on market of listed properties (tests pin it). */
  now?: () => Date;
}

export const propertyQuery = z.strictObject({ consistentWith: consistencyTokenSchema.optional() });
export const propertyId = z.string().trim().min(1, 'must not be blank').max(100, 'at most 100 characters');

/** The query side of market analytics: daily market figures and single properties. */
export function analyticsRoutes({
  es,
  alias = 'market-properties',
  factsAlias = `${alias}-facts`,
  waitForToken,
  now = () => new Date(),
}: AnalyticsRoutesDeps): Router {
  const router = Router();

  /** Read-your-writes: a client that just wrote passes its token and sees that write. */
  const awaitConsistency = async (req: Request, fromQuery: string | undefined) => {
    const token = consistencyTokenOf(req, fromQuery);
    if (token !== undefined) await waitForToken(token);
  };

  router.get('/analytics/markets/:city', async (req: Request<{ city: string }>, res) => {
    // Path and query are checked together, so one 400 names every bad parameter.
    const city = cityParamSchema.safeParse(req.params.city);
    const query = marketQuerySchema(utcDay(now())).safeParse(req.query);
    if (!city.success || !query.success) {
      throw HttpProblem.validation([
        ...(city.success ? [] : fieldErrors(city.error, 'path.city')),
        ...(query.success ? [] : fieldErrors(query.error, 'query')),
      ]);
    }
    const params: MarketParams = { city: city.data, ...query.data };
    await awaitConsistency(req, params.consistentWith);
    const [facts, active] = await Promise.all([
      unavailableWithoutIndex('Analytics', factsAlias, () =>
        es.search<MarketFactDocument, FactsAggregations>({ index: factsAlias, ...buildFactsRequest(params) }),
      ),
      unavailableWithoutIndex('Analytics', alias, () =>
        es.search<MarketPropertyDocument, ActiveListingsAggregations>({
          index: alias,
          ...buildActiveListingsRequest(params),
        }),
      ),
    ]);
    if (!facts.aggregations || !active.aggregations)
      throw new Error('Elasticsearch answered without aggregations');
    res.json(
      toMarketReport(facts.aggregations, active.aggregations, params) satisfies z.output<typeof marketReport>,
    );
  });

  router.get('/analytics/properties/:id', async (req: Request<{ id: string }>, res) => {
    const id = parseOr400(propertyId, req.params.id, 'path.id');
    const query = parseOr400(propertyQuery, req.query, 'query');
    await awaitConsistency(req, query.consistentWith);
    const document = await unavailableWithoutIndex('Analytics', alias, async () => {
      try {
        return (await es.get<MarketPropertyDocument>({ index: alias, id }))._source;
      } catch (error) {
        // A missing document is a 404 with found=false; a missing index is not "not found".
        if (error instanceof errors.ResponseError && error.statusCode === 404 && !isIndexNotFound(error)) {
          return undefined;
        }
        throw error;
      }
    });
    if (!document) throw HttpProblem.notFound(`property ${id}`);
    res.json(publicView(withDaysOnMarketToNow(document, now())) satisfies z.output<typeof marketProperty>);
  });

  return router;
}

/**
 * What anyone may read of a property's market record: the endpoint is open, so who made
 * an offer (kept for the read model's own bookkeeping) stays out, as the property API
 * shows buyers' ids only to the owner and the buyer.
 */
function publicView(document: MarketPropertyDocument) {
  return { ...document, offers: document.offers.map(({ buyerId: _buyer, ...offer }) => offer) };
}

/** On the market still (listed or reserved): its days on market so far. */
function withDaysOnMarketToNow(document: MarketPropertyDocument, now: Date): MarketPropertyDocument {
  if (document.daysOnMarket !== null) return document;
  return {
    ...document,
    daysOnMarket: daysOnMarket(document.listedAt, now.toISOString(), document.withdrawnPeriods),
  };
}
