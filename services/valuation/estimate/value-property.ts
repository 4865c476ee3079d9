import type { MajorMoney } from '../../shared/domain/money';
import { selectComparables, type ComparableLimits } from './comparable-selection';
import { fitMarketTrend, type MarketTrend, type MonthlyPricePerSqm } from './market-trend';
import { BAND_CONFIDENCE, compareSales, type UsedComparable } from './sales-comparison';
import type { ComparableSale, ValuationSubject } from './valuation-subject';

/** Where past sales come from (the read model; tests give an in-memory one). */
export interface SalesHistory {
  /** Sales near the subject, in its city and currency, sold in [from, asOf), nearest first. */
  candidates(
    subject: ValuationSubject,
    from: string,
    asOf: string,
    limits: ComparableLimits,
  ): Promise<ComparableSale[]>;
  /** The city's sales in [from, asOf) in one currency, month by month. */
  monthlyPricePerSqm(
    city: string,
    currency: string,
    from: string,
    asOf: string,
  ): Promise<MonthlyPricePerSqm[]>;
}

export interface ValuationSettings extends ComparableLimits {
  /** Fewer comparables than this and the answer is "not enough comparables". */
  minComparables: number;
}

/** A valuation, or the honest answer that there is not enough to base one on. */
export interface Valuation {
  method: 'sales-comparison';
  asOf: string;
  outcome: 'estimated' | 'insufficient-comparables';
  estimate: MajorMoney | null;
  /** Where the price should land four times in five. */
  band: { low: MajorMoney; high: MajorMoney; confidence: number } | null;
  pricePerSqm: number | null;
  sampleSize: number;
  minimumSample: number;
  marketTrend: MarketTrend;
  comparables: UsedComparable[];
}

const MS_PER_DAY = 86_400_000;
/** Valuations are quoted as asking prices are: to the thousand. */
const roundedToThousand = (amount: number) => Math.round(amount / 1000) * 1000;

/** Values a subject as of a moment from the sales before it, by the sales comparison approach. */
export async function valueProperty(
  history: SalesHistory,
  subject: ValuationSubject,
  asOf: string,
  settings: ValuationSettings,
): Promise<Valuation> {
  const from = new Date(Date.parse(asOf) - settings.windowDays * MS_PER_DAY).toISOString();
  const [candidates, months] = await Promise.all([
    history.candidates(subject, from, asOf, settings),
    history.monthlyPricePerSqm(subject.city, subject.currency, from, asOf),
  ]);
  const marketTrend = fitMarketTrend(months);
  const scored = selectComparables(subject, candidates, asOf, settings);
  const comparison = compareSales(subject, scored, marketTrend, asOf, settings.minComparables);
  const money = (amount: number): MajorMoney => ({
    amount: roundedToThousand(amount),
    currency: subject.currency,
  });
  const common = {
    method: 'sales-comparison' as const,
    asOf,
    sampleSize: comparison.comparables.length,
    minimumSample: settings.minComparables,
    marketTrend,
    comparables: comparison.comparables,
  };
  if (comparison.outcome === 'insufficient-comparables') {
    return { ...common, outcome: comparison.outcome, estimate: null, band: null, pricePerSqm: null };
  }
  return {
    ...common,
    outcome: 'estimated',
    estimate: money(comparison.amount),
    band: { low: money(comparison.low), high: money(comparison.high), confidence: BAND_CONFIDENCE },
    pricePerSqm: Math.round(comparison.pricePerSqm),
  };
}
