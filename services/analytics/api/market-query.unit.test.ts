import type { estypes } from '@elastic/elasticsearch';
import { HttpProblem } from '../../shared/http/problem';
import { parseOr400 } from '../../shared/http/validation';
import {
  buildActiveListingsRequest,
  buildFactsRequest,
  marketQuerySchema,
  type MarketParams,
} from './market-query';
import { toMarketReport, type FactMetricsAggregate, type FactsAggregations } from './market-response';

const TODAY = '2026-03-15';
const parse = (query: Record<string, unknown>) => marketQuerySchema(TODAY).parse(query);

/** The field names of a 400 for this query, as the route would answer it. */
function badFields(query: Record<string, unknown>): string[] {
  try {
    parseOr400(marketQuerySchema(TODAY), query, 'query');
  } catch (error) {
    if (error instanceof HttpProblem)
      return (error.extra.errors as Array<{ field: string }>).map((e) => e.field);
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

describe('market query: parameters', () => {
  it('defaults to the last 30 days, today (UTC) included', () => {
    expect(parse({})).toEqual({ from: '2026-02-14', to: '2026-03-15' });
    expect(parse({ to: '2026-01-30' })).toEqual({ from: '2026-01-01', to: '2026-01-30' });
    expect(parse({ from: '2026-03-01' })).toEqual({ from: '2026-03-01', to: TODAY });
  });

  it('keeps postalCode and consistentWith, trimmed', () => {
    expect(
      parse({ from: '2026-01-01', to: '2026-01-01', postalCode: ' 1015 CJ ', consistentWith: 'p1@3' }),
    ).toEqual({ from: '2026-01-01', to: '2026-01-01', postalCode: '1015 CJ', consistentWith: 'p1@3' });
  });

  it('accepts a leap year of 366 days, both ends included, and no more', () => {
    expect(parse({ from: '2024-01-01', to: '2024-12-31' })).toMatchObject({ from: '2024-01-01' });
    expect(badFields({ from: '2024-01-01', to: '2025-01-01' })).toEqual(['query.from', 'query.to']);
    // Only the parameter the client gave is to blame.
    expect(badFields({ from: '2025-01-01' })).toEqual(['query.from']);
  });

  it.each([
    [{ from: '2026-03-02', to: '2026-03-01' }, ['query.from', 'query.to']],
    [{ from: '2026-04-01' }, ['query.from']],
    [{ from: '2026-02-30' }, ['query.from']],
    [{ from: '1 March', to: '2026-13-01' }, ['query.from', 'query.to']],
    [{ from: ['2026-03-01', '2026-03-02'] }, ['query.from']],
    // A bad `to` alone: the default `from` is counted back from it, which must not throw.
    [{ to: '' }, ['query.to']],
    [{ to: 'not-a-day' }, ['query.to']],
    [{ to: '2026-02-30' }, ['query.to']],
    [{ from: '2026-03-01', to: ' ' }, ['query.to']],
    [{ postalCode: '' }, ['query.postalCode']],
    [{ consistentWith: ' ' }, ['query.consistentWith']],
    [{ city: 'x' }, ['query']],
  ])('%j → 400 naming %j', (query, fields) => {
    expect(badFields(query)).toEqual(fields);
  });
});

const params: MarketParams = { city: 'Amsterdam', from: '2026-03-01', to: '2026-03-03' };

describe('market query: the facts request', () => {
  it('filters city, the day range and (when given) the postal code', () => {
    expect(buildFactsRequest(params).query).toEqual({
      bool: {
        filter: [
          { term: { city: 'Amsterdam' } },
          { range: { day: { gte: '2026-03-01', lte: '2026-03-03' } } },
        ],
      },
    });
    const bool = buildFactsRequest({ ...params, postalCode: '1015 CJ' }).query
      ?.bool as estypes.QueryDslBoolQuery;
    expect(bool.filter).toContainEqual({ term: { postalCode: '1015 CJ' } });
  });

  it('buckets by calendar day with bounds, so empty days appear, and computes the same metrics for the range', () => {
    const body = buildFactsRequest(params);
    expect(body.size).toBe(0);
    const days = body.aggs?.days as estypes.AggregationsAggregationContainer;
    expect(days.date_histogram).toEqual({
      field: 'day',
      calendar_interval: 'day',
      format: 'yyyy-MM-dd',
      min_doc_count: 0,
      extended_bounds: { min: '2026-03-01', max: '2026-03-03' },
    });
    expect(Object.keys(days.aggs ?? {})).toEqual(['listed', 'priceCuts', 'sold', 'withdrawn', 'relisted']);
    expect(body.aggs?.sold).toEqual(days.aggs?.sold);
    expect(days.aggs?.listed).toEqual({
      filter: { term: { kind: 'listed' } },
      aggs: {
        averageListPrice: { avg: { field: 'listPrice' } },
        medianListPrice: { percentiles: { field: 'listPrice', percents: [50], keyed: false } },
      },
    });
    expect(days.aggs?.priceCuts).toEqual({ filter: { term: { priceChange: 'cut' } } });
  });
});

describe('market query: the active listings request', () => {
  it('has one filter per day: listed by its end, neither sold nor withdrawn at its end', () => {
    const body = buildActiveListingsRequest(params);
    const filters = body.aggs?.active?.filters?.filters as Record<string, estypes.QueryDslQueryContainer>;
    expect(Object.keys(filters)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    const end = '2026-03-02T23:59:59.999Z';
    expect(filters['2026-03-02']).toEqual({
      bool: {
        filter: [{ range: { listedAt: { lte: end } } }],
        must_not: [
          { range: { soldAt: { lte: end } } },
          { range: { withdrawnPeriods: { gte: end, lte: end, relation: 'intersects' } } },
        ],
      },
    });
    expect(body.query).toEqual({
      bool: {
        filter: [
          { term: { city: 'Amsterdam' } },
          { range: { listedAt: { lte: '2026-03-03T23:59:59.999Z' } } },
        ],
      },
    });
  });
});

describe('market response', () => {
  const metrics = (listed: number, sold: number, values: Partial<Record<string, number>> = {}) =>
    ({
      listed: {
        doc_count: listed,
        averageListPrice: { value: values.avgList ?? null },
        medianListPrice: { values: [{ key: 50, value: values.medianList ?? null }] },
      },
      priceCuts: { doc_count: values.cuts ?? 0 },
      sold: {
        doc_count: sold,
        medianSalePrice: { values: [{ key: 50, value: values.medianSale ?? null }] },
        medianDaysOnMarket: { values: [{ key: 50, value: values.medianDays ?? null }] },
        saleToListRatio: { value: values.ratio ?? null },
      },
      withdrawn: { doc_count: 0 },
      relisted: { doc_count: 0 },
    }) satisfies FactMetricsAggregate;

  it('maps buckets to days (missing ones as empty), rounds, and adds active listings', () => {
    const facts: FactsAggregations = {
      ...metrics(2, 1, {
        avgList: 450_000.004,
        medianList: 450_000,
        medianSale: 375_000.5,
        ratio: 0.937512345,
      }),
      days: {
        buckets: [
          {
            key: 0,
            key_as_string: '2026-03-01',
            ...metrics(2, 0, { avgList: 450_000.004, medianList: 450_000 }),
          },
          {
            key: 0,
            key_as_string: '2026-03-03',
            ...metrics(0, 1, { medianSale: 375_000.5, medianDays: 4.25, ratio: 0.937512345, cuts: 1 }),
          },
        ],
      },
      currencies: { buckets: [{ key: 'EUR', doc_count: 3 }] },
    };
    const report = toMarketReport(
      facts,
      { active: { buckets: { '2026-03-01': { doc_count: 2 }, '2026-03-03': { doc_count: 1 } } } },
      params,
    );
    expect(report.currencies).toEqual(['EUR']);
    expect(report.postalCode).toBeNull();
    expect(report.days.map((d) => [d.day, d.activeListings, d.newListings, d.soldCount])).toEqual([
      ['2026-03-01', 2, 2, 0],
      ['2026-03-02', 0, 0, 0],
      ['2026-03-03', 1, 0, 1],
    ]);
    expect(report.days[0]).toMatchObject({ averageListPrice: 450_000, medianListPrice: 450_000 });
    expect(report.days[1]).toMatchObject({
      averageListPrice: null,
      medianSalePrice: null,
      saleToListRatio: null,
    });
    expect(report.days[2]).toMatchObject({
      medianSalePrice: 375_000.5,
      medianDaysOnMarket: 4.3,
      saleToListRatio: 0.9375,
      priceCuts: 1,
    });
    expect(report.totals).toMatchObject({ newListings: 2, soldCount: 1, activeListingsAtEnd: 1 });
  });
});
