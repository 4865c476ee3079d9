import type { Valuation } from '../estimate/value-property';

/** One sale valued from the sales before it: what was estimated and what it sold for. */
export interface BacktestCase {
  propertyId: string;
  soldFor: number;
  valuation: Valuation;
}

/** How well the valuations of past sales matched what those sales fetched. */
export interface BacktestReport {
  sales: number;
  estimated: number;
  /** Sales the model declined to value: fewer comparables before them than the minimum. */
  insufficientComparables: number;
  /** Median absolute percentage error over the estimated sales (0.08: 8 %); null when none. */
  medianAbsolutePercentageError: number | null;
  /** Share of the estimated sales whose estimate was within 10 % of the price. */
  withinTenPercent: number | null;
  withinTwentyPercent: number | null;
  /** Share of the estimated sales whose price fell inside the band (meant to be its confidence). */
  bandCoverage: number | null;
  /** The band's median width as a share of the estimate. */
  medianBandWidth: number | null;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const shareOf = (cases: readonly unknown[], count: number) =>
  cases.length === 0 ? null : count / cases.length;

/** The figures of a backtest from its cases. */
export function backtestReport(cases: readonly BacktestCase[]): BacktestReport {
  const estimated = cases.flatMap((c) =>
    c.valuation.estimate && c.valuation.band && c.soldFor > 0
      ? [{ soldFor: c.soldFor, estimate: c.valuation.estimate.amount, band: c.valuation.band }]
      : [],
  );
  const errors = estimated.map((c) => Math.abs(c.estimate - c.soldFor) / c.soldFor);
  return {
    sales: cases.length,
    estimated: estimated.length,
    insufficientComparables: cases.length - estimated.length,
    medianAbsolutePercentageError: median(errors),
    withinTenPercent: shareOf(estimated, errors.filter((e) => e <= 0.1).length),
    withinTwentyPercent: shareOf(estimated, errors.filter((e) => e <= 0.2).length),
    bandCoverage: shareOf(
      estimated,
      estimated.filter((c) => c.soldFor >= c.band.low.amount && c.soldFor <= c.band.high.amount).length,
    ),
    medianBandWidth: median(estimated.map((c) => (c.band.high.amount - c.band.low.amount) / c.estimate)),
  };
}
