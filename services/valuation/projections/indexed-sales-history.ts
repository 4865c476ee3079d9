import type { Client, estypes } from '@elastic/elasticsearch';
import { unavailableWithoutIndex } from '../../shared/http/read-model';
import type { ComparableLimits } from '../estimate/comparable-selection';
import type { MonthlyPricePerSqm } from '../estimate/market-trend';
import type { SalesHistory } from '../estimate/value-property';
import type { ComparableSale, ValuationSubject } from '../estimate/valuation-subject';
import type { ValuationPropertyDocument } from './valuation-property-document';

/** Candidates fetched per valuation, nearest first, for the similarity ranking to choose from. */
const CANDIDATE_POOL = 200;

interface MonthBuckets {
  months: {
    buckets: Array<{
      key_as_string?: string;
      key: number;
      doc_count: number;
      median: estypes.AggregationsPercentilesAggregateBase;
    }>;
  };
}

/** The sales the valuation read model holds, queried as a `SalesHistory`. */
export function indexedSalesHistory(es: Client, alias: string): SalesHistory {
  const soldIn = (currency: string, from: string, asOf: string): estypes.QueryDslQueryContainer[] => [
    { term: { status: 'sold' } },
    { term: { 'salePrice.currency': currency } },
    { range: { soldAt: { gte: from, lt: asOf } } },
  ];
  return {
    async candidates(subject: ValuationSubject, from: string, asOf: string, limits: ComparableLimits) {
      const answer = await unavailableWithoutIndex('Valuation', alias, () =>
        es.search<ValuationPropertyDocument>({
          index: alias,
          size: CANDIDATE_POOL,
          query: {
            bool: {
              filter: [
                ...soldIn(subject.currency, from, asOf),
                { geo_distance: { distance: `${limits.radiusKm}km`, location: subject.location } },
              ],
              must_not: subject.id ? [{ ids: { values: [subject.id] } }] : [],
            },
          },
          sort: [
            { _geo_distance: { location: subject.location, order: 'asc', unit: 'km', distance_type: 'arc' } },
          ],
        }),
      );
      return answer.hits.hits.flatMap((hit) => (hit._source ? [comparableSaleOf(hit._source)] : []));
    },
    async monthlyPricePerSqm(city: string, currency: string, from: string, asOf: string) {
      const answer = await unavailableWithoutIndex('Valuation', alias, () =>
        es.search<ValuationPropertyDocument, MonthBuckets>({
          index: alias,
          size: 0,
          query: { bool: { filter: [...soldIn(currency, from, asOf), { term: { city } }] } },
          aggs: {
            months: {
              date_histogram: { field: 'soldAt', calendar_interval: 'month', min_doc_count: 1 },
              aggs: { median: { percentiles: { field: 'salePricePerSqm', percents: [50], keyed: false } } },
            },
          },
        }),
      );
      return (answer.aggregations?.months.buckets ?? []).map((bucket): MonthlyPricePerSqm => ({
        month: new Date(bucket.key).toISOString(),
        sales: bucket.doc_count,
        medianPricePerSqm: medianOf(bucket.median),
      }));
    },
  };
}

/** A listed (or sold) property as the subject of its own valuation, in its asking currency. */
export function subjectOf(document: ValuationPropertyDocument): ValuationSubject {
  return {
    id: document.id,
    city: document.city,
    propertyType: document.propertyType,
    areaSqm: document.areaSqm,
    bedrooms: document.bedrooms,
    bathrooms: document.bathrooms,
    location: document.location,
    currency: document.askingPrice.currency,
  };
}

/** A sold document as a comparable (only sold documents are ever asked for). */
export function comparableSaleOf(document: ValuationPropertyDocument): ComparableSale {
  if (!document.soldAt || !document.salePrice) throw new Error(`property ${document.id} is not sold`);
  return {
    id: document.id,
    street: document.street,
    city: document.city,
    propertyType: document.propertyType,
    areaSqm: document.areaSqm,
    bedrooms: document.bedrooms,
    bathrooms: document.bathrooms,
    location: document.location,
    soldAt: document.soldAt,
    salePrice: document.salePrice,
  };
}

function medianOf(aggregate: estypes.AggregationsPercentilesAggregateBase): number {
  const values = aggregate.values;
  const first = Array.isArray(values)
    ? (values[0] as { value: number | null } | undefined)?.value
    : undefined;
  return typeof first === 'number' ? first : 0;
}
