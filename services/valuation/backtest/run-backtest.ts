import type { Client, estypes } from '@elastic/elasticsearch';
import { valueProperty, type ValuationSettings } from '../estimate/value-property';
import { indexedSalesHistory, subjectOf } from '../projections/indexed-sales-history';
import type { ValuationPropertyDocument } from '../projections/valuation-property-document';
import type { BacktestCase } from './backtest-report';

const PAGE = 500;

/** Every sold property in the read model, oldest sale first (optionally of one city). */
async function* soldProperties(
  es: Client,
  alias: string,
  city?: string,
): AsyncGenerator<ValuationPropertyDocument> {
  let after: estypes.SortResults | undefined;
  for (;;) {
    const page = await es.search<ValuationPropertyDocument>({
      index: alias,
      size: PAGE,
      query: { bool: { filter: [{ term: { status: 'sold' } }, ...(city ? [{ term: { city } }] : [])] } },
      sort: [{ soldAt: 'asc' }, { id: 'asc' }],
      ...(after ? { search_after: after } : {}),
    });
    for (const hit of page.hits.hits) if (hit._source) yield hit._source;
    const last = page.hits.hits.at(-1);
    if (page.hits.hits.length < PAGE || !last?.sort) return;
    after = last.sort;
  }
}

/**
 * The backtest: each sale valued as of the moment it sold, from the sales before it only
 * (the estimator never sees a sale on or after its valuation date, nor the subject itself),
 * exactly as the API would have valued it that day.
 */
export async function runBacktest(
  es: Client,
  alias: string,
  settings: ValuationSettings,
  options: { city?: string; onProgress?: (done: number) => void } = {},
): Promise<BacktestCase[]> {
  const history = indexedSalesHistory(es, alias);
  const cases: BacktestCase[] = [];
  for await (const sold of soldProperties(es, alias, options.city)) {
    if (!sold.soldAt || !sold.salePrice) continue;
    const valuation = await valueProperty(history, subjectOf(sold), sold.soldAt, settings);
    cases.push({ propertyId: sold.id, soldFor: sold.salePrice.amount, valuation });
    options.onProgress?.(cases.length);
  }
  return cases;
}
