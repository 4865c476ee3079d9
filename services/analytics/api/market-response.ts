import type { estypes } from '@elastic/elasticsearch';
import { daysFromTo, utcDay, type CalendarDay } from '../calendar-day';
import type { MarketParams } from './market-query';

/** One day of a market: counts of that day's events, and active listings at its end. */
export interface MarketDay {
  day: CalendarDay;
  /** Properties on the market at the end of the day (reserved ones included). */
  activeListings: number;
  newListings: number;
  /** Over the day's new listings; null without any. */
  averageListPrice: number | null;
  medianListPrice: number | null;
  /** Asking price decreases, relists at a lower price included. */
  priceCuts: number;
  soldCount: number;
  medianSalePrice: number | null;
  medianDaysOnMarket: number | null;
  /** The average of each sale's price over its price at listing. */
  saleToListRatio: number | null;
  withdrawnCount: number;
  relistedCount: number;
}

export type MarketTotals = Omit<MarketDay, 'day' | 'activeListings'> & {
  /** Active listings at the end of the range's last day. */
  activeListingsAtEnd: number;
};

export interface MarketReport {
  city: string;
  postalCode: string | null;
  from: CalendarDay;
  to: CalendarDay;
  /** The currencies of the range's facts: amounts are averaged as they are, never converted. */
  currencies: string[];
  days: MarketDay[];
  totals: MarketTotals;
}

type Percentiles = estypes.AggregationsTDigestPercentilesAggregate;

/** What `factMetrics` answers, per day and for the whole range. */
export interface FactMetricsAggregate {
  doc_count?: number;
  listed: {
    doc_count: number;
    averageListPrice: estypes.AggregationsAvgAggregate;
    medianListPrice: Percentiles;
  };
  priceCuts: { doc_count: number };
  sold: {
    doc_count: number;
    medianSalePrice: Percentiles;
    medianDaysOnMarket: Percentiles;
    saleToListRatio: estypes.AggregationsAvgAggregate;
  };
  withdrawn: { doc_count: number };
  relisted: { doc_count: number };
}

export interface FactsAggregations extends FactMetricsAggregate {
  days: { buckets: Array<FactMetricsAggregate & { key: number; key_as_string?: string }> };
  currencies: estypes.AggregationsStringTermsAggregate;
}

export interface ActiveListingsAggregations {
  active: { buckets: Record<string, { doc_count: number }> };
}

const round = (value: number | null | undefined, decimals: number): number | null => {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

/** The single value of a percentiles aggregation asked for with percents [50], keyed: false. */
function medianOf(aggregate: Percentiles): number | null {
  const values = aggregate.values;
  const first = Array.isArray(values) ? values[0]?.value : Object.values(values)[0];
  return typeof first === 'number' ? first : null;
}

function metricsOf(aggregate: FactMetricsAggregate): Omit<MarketDay, 'day' | 'activeListings'> {
  return {
    newListings: aggregate.listed.doc_count,
    averageListPrice: round(aggregate.listed.averageListPrice.value, 2),
    medianListPrice: round(medianOf(aggregate.listed.medianListPrice), 2),
    priceCuts: aggregate.priceCuts.doc_count,
    soldCount: aggregate.sold.doc_count,
    medianSalePrice: round(medianOf(aggregate.sold.medianSalePrice), 2),
    medianDaysOnMarket: round(medianOf(aggregate.sold.medianDaysOnMarket), 1),
    saleToListRatio: round(aggregate.sold.saleToListRatio.value, 4),
    withdrawnCount: aggregate.withdrawn.doc_count,
    relistedCount: aggregate.relisted.doc_count,
  };
}

const noValue = { value: null };
const noPercentile: Percentiles = { values: [] };
const emptyMetrics: FactMetricsAggregate = {
  listed: { doc_count: 0, averageListPrice: noValue, medianListPrice: noPercentile },
  priceCuts: { doc_count: 0 },
  sold: {
    doc_count: 0,
    medianSalePrice: noPercentile,
    medianDaysOnMarket: noPercentile,
    saleToListRatio: noValue,
  },
  withdrawn: { doc_count: 0 },
  relisted: { doc_count: 0 },
};

/** Maps the answers to `buildFactsRequest` and `buildActiveListingsRequest` to the report (pure). */
export function toMarketReport(
  facts: FactsAggregations,
  active: ActiveListingsAggregations,
  params: MarketParams,
): MarketReport {
  const activeOn = (day: CalendarDay) => active.active.buckets[day]?.doc_count ?? 0;
  const buckets = new Map(
    facts.days.buckets.map((bucket) => [bucket.key_as_string ?? utcDay(new Date(bucket.key)), bucket]),
  );
  // extended_bounds already yields every day; walking the range keeps that true for any answer.
  const days = daysFromTo(params.from, params.to).map((day): MarketDay => ({
    day,
    activeListings: activeOn(day),
    ...metricsOf(buckets.get(day) ?? emptyMetrics),
  }));
  const currencyBuckets = facts.currencies.buckets;
  return {
    city: params.city,
    postalCode: params.postalCode ?? null,
    from: params.from,
    to: params.to,
    currencies: (Array.isArray(currencyBuckets) ? currencyBuckets : Object.values(currencyBuckets)).map((b) =>
      String(b.key),
    ),
    days,
    totals: { ...metricsOf(facts), activeListingsAtEnd: activeOn(params.to) },
  };
}
