import { adjustedToDate, type MarketTrend } from './market-trend';
import type { ScoredComparable } from './comparable-selection';
import type { ValuationSubject } from './valuation-subject';

/** The confidence of the band: four in five sales should land inside it. */
export const BAND_CONFIDENCE = 0.8;
/**
 * Student's t quantiles for a two-sided 80 % interval by degrees of freedom (1 to 30; the
 * normal's 1.2816 beyond): with a handful of comparables their spread is itself uncertain,
 * and the band must say so.
 */
const T_80 = [
  3.078, 1.886, 1.638, 1.533, 1.476, 1.44, 1.415, 1.397, 1.383, 1.372, 1.363, 1.356, 1.35, 1.345, 1.341,
  1.337, 1.333, 1.33, 1.328, 1.325, 1.323, 1.321, 1.319, 1.318, 1.316, 1.315, 1.314, 1.313, 1.311, 1.31,
];
const tQuantile80 = (degreesOfFreedom: number) => T_80[Math.floor(degreesOfFreedom) - 1] ?? 1.2816;
/**
 * The least spread assumed, in log terms (about ±5 % at 80 %): comparables that happen to
 * agree closely do not make a sale price that certain.
 */
const MIN_LOG_SPREAD = 0.04;

export interface UsedComparable extends ScoredComparable {
  pricePerSqm: number;
  /** Its price per m² moved along the market trend to the valuation date. */
  adjustedPricePerSqm: number;
  /** Its share of the estimate (all weights add up to 1). */
  weight: number;
}

export type SalesComparison =
  | {
      outcome: 'estimated';
      amount: number;
      pricePerSqm: number;
      low: number;
      high: number;
      comparables: UsedComparable[];
    }
  | { outcome: 'insufficient-comparables'; comparables: UsedComparable[] };

/**
 * The sales comparison approach: each comparable's price per m², adjusted to the valuation
 * date by the market trend, weighted by how similar the sale is; the estimate is the
 * weighted geometric mean times the subject's area. The band is a prediction interval from
 * the comparables' spread, wider when there are few of them.
 */
export function compareSales(
  subject: ValuationSubject,
  scored: readonly ScoredComparable[],
  trend: MarketTrend,
  asOf: string,
  minComparables: number,
): SalesComparison {
  const raw = scored.map((c) => {
    const pricePerSqm = c.sale.salePrice.amount / c.sale.areaSqm;
    return {
      ...c,
      pricePerSqm,
      adjustedPricePerSqm: adjustedToDate(pricePerSqm, c.sale.soldAt, asOf, trend),
      // The most similar sale counts a few times more than the least, never infinitely more.
      weight: 1 / (0.25 + c.dissimilarity),
    };
  });
  const total = raw.reduce((sum, c) => sum + c.weight, 0);
  const comparables = raw.map((c) => ({ ...c, weight: c.weight / total }));
  if (comparables.length < minComparables) return { outcome: 'insufficient-comparables', comparables };

  const logs = comparables.map((c) => ({ y: Math.log(c.adjustedPricePerSqm), w: c.weight }));
  const mean = logs.reduce((s, p) => s + p.w * p.y, 0);
  // Kish's effective sample size: unequal weights count as fewer independent sales.
  const effective = 1 / comparables.reduce((s, c) => s + c.weight ** 2, 0);
  // The weighted variance, corrected for the degree of freedom the mean used up.
  const biased = logs.reduce((s, p) => s + p.w * (p.y - mean) ** 2, 0);
  const variance = effective > 1 ? (biased * effective) / (effective - 1) : biased;
  const spread = Math.max(MIN_LOG_SPREAD, Math.sqrt(variance)) * Math.sqrt(1 + 1 / effective);
  const halfWidth = tQuantile80(Math.max(1, effective - 1)) * spread;
  const pricePerSqm = Math.exp(mean);
  const amount = pricePerSqm * subject.areaSqm;
  return {
    outcome: 'estimated',
    amount,
    pricePerSqm,
    low: amount * Math.exp(-halfWidth),
    high: amount * Math.exp(halfWidth),
    comparables,
  };
}
