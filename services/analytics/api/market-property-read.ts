import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { HttpProblem } from '../../shared/http/problem';
import { readModelDocument } from '../../shared/http/read-model';
import { parseOr400 } from '../../shared/http/validation';
import { daysOnMarket } from '../projections/days-on-market';
import type { MarketPropertyDocument } from '../projections/market-property-document';
import { awaitConsistency, type AnalyticsReads } from './analytics-api-deps';
import { propertyId, propertyQuery } from './request-schemas';
import type { marketProperty } from './response-schemas';

/** GET /analytics/properties/:id: one property's market record, its days on market to now. */
export function readMarketProperty(reads: AnalyticsReads): RequestHandler<{ id: string }> {
  return async (req, res) => {
    const id = parseOr400(propertyId, req.params.id, 'path.id');
    const query = parseOr400(propertyQuery, req.query, 'query');
    await awaitConsistency(reads, req, query.consistentWith);
    const document = await readModelDocument<MarketPropertyDocument>(reads.es, 'Analytics', reads.alias, id);
    if (!document) throw HttpProblem.notFound(`property ${id}`);
    res.json(
      publicView(withDaysOnMarketToNow(document, reads.now())) satisfies z.output<typeof marketProperty>,
    );
  };
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
