import type { Client } from '@elastic/elasticsearch';
import { Router, type Request } from 'express';
import type { z } from 'zod';
import { HttpProblem } from '../../shared/http/problem';
import { consistencyTokenOf, readModelDocument } from '../../shared/http/read-model';
import { parseOr400 } from '../../shared/http/validation';
import { valueProperty, type ValuationSettings } from '../estimate/value-property';
import type { ValuationSubject } from '../estimate/valuation-subject';
import { indexedSalesHistory, subjectOf } from '../projections/indexed-sales-history';
import type { ValuationPropertyDocument } from '../projections/valuation-property-document';
import { describedValuationQuery, listedValuationQuery, propertyIdParam } from './request-schemas';
import type { valuationJson } from './response-schemas';
import { valuationAnswer } from './valuation-response';

export interface ValuationRoutesDeps {
  es: Client;
  /** The alias the valuation projection writes behind. */
  alias?: string;
  /** Resolves once the write named by a consistency token is readable; throws a 503 problem on timeout. */
  waitForToken: (token: string) => Promise<void>;
  settings: ValuationSettings;
  /** The valuation date (tests pin it). */
  now?: () => Date;
}

/** Automated valuations: of a listed property by id, and of one described by its features. */
export function valuationRoutes({
  es,
  alias = 'valuation-properties',
  waitForToken,
  settings,
  now = () => new Date(),
}: ValuationRoutesDeps): Router {
  const history = indexedSalesHistory(es, alias);
  return Router()
    .get('/valuations/:propertyId', async (req: Request<{ propertyId: string }>, res) => {
      const id = parseOr400(propertyIdParam, req.params.propertyId, 'path.propertyId');
      const query = parseOr400(listedValuationQuery, req.query, 'query');
      const token = consistencyTokenOf(req, query.consistentWith);
      if (token !== undefined) await waitForToken(token);
      const document = await readModelDocument<ValuationPropertyDocument>(es, 'Valuation', alias, id);
      if (!document) throw HttpProblem.notFound(`property ${id}`);
      const subject = subjectOf(document);
      const valuation = await valueProperty(history, subject, now().toISOString(), settings);
      res.json(
        valuationAnswer(subject, document.askingPrice, valuation) satisfies z.output<typeof valuationJson>,
      );
    })
    .get('/valuations', async (req, res) => {
      const query = parseOr400(describedValuationQuery, req.query, 'query');
      const subject: ValuationSubject = {
        id: null,
        city: query.city,
        propertyType: query.type,
        areaSqm: query.areaSqm,
        bedrooms: query.bedrooms,
        bathrooms: query.bathrooms,
        location: { lat: query.lat, lon: query.lon },
        currency: query.currency,
      };
      const valuation = await valueProperty(history, subject, now().toISOString(), settings);
      res.json(valuationAnswer(subject, null, valuation) satisfies z.output<typeof valuationJson>);
    });
}
