import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { HttpProblem } from '../../shared/http/problem';
import { unavailableWithoutIndex } from '../../shared/http/read-model';
import { fieldErrors } from '../../shared/http/validation';
import { utcDay } from '../calendar-day';
import type { MarketFactDocument } from '../projections/market-fact-document';
import type { MarketPropertyDocument } from '../projections/market-property-document';
import { awaitConsistency, type AnalyticsReads } from './analytics-api-deps';
import {
  buildActiveListingsRequest,
  buildFactsRequest,
  cityParamSchema,
  marketQuerySchema,
  type MarketParams,
} from './market-query';
import { toMarketReport, type ActiveListingsAggregations, type FactsAggregations } from './market-response';
import type { marketReport } from './response-schemas';

/** GET /analytics/markets/:city: a city's daily market figures, from its facts and its active listings. */
export function readMarketReport(reads: AnalyticsReads): RequestHandler<{ city: string }> {
  const { es, alias, factsAlias } = reads;
  return async (req, res) => {
    const params = marketParamsOf(req.params.city, req.query, reads.now());
    await awaitConsistency(reads, req, params.consistentWith);
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
  };
}

/** Path and query are checked together, so one 400 names every bad parameter. */
function marketParamsOf(cityParam: string, queryParams: unknown, now: Date): MarketParams {
  const city = cityParamSchema.safeParse(cityParam);
  const query = marketQuerySchema(utcDay(now)).safeParse(queryParams);
  if (!city.success || !query.success) {
    throw HttpProblem.validation([
      ...(city.success ? [] : fieldErrors(city.error, 'path.city')),
      ...(query.success ? [] : fieldErrors(query.error, 'query')),
    ]);
  }
  return { city: city.data, ...query.data };
}
