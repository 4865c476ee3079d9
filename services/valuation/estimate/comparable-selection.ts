import { distanceKm } from './geo-distance';
import type { ComparableSale, ValuationSubject } from './valuation-subject';

/** How far and how long ago a sale may be and still count as a comparable. */
export interface ComparableLimits {
  radiusKm: number;
  windowDays: number;
  /** At most this many comparables: the most similar. */
  maxComparables: number;
}

/** A candidate sale with how unlike the subject it is (0: the same property next door, today). */
export interface ScoredComparable {
  sale: ComparableSale;
  distanceKm: number;
  /** Lower is more similar; each unit is about one "noticeably different" feature. */
  dissimilarity: number;
}

const MS_PER_DAY = 86_400_000;

/**
 * How unlike the subject a sale is, the way an appraiser ranks comparables: a sale at the
 * edge of the radius, one at the edge of the window, double (or half) the area, two
 * bedrooms more, or another type of property each count about as much as the others.
 */
export function dissimilarity(
  subject: ValuationSubject,
  sale: ComparableSale,
  asOf: string,
  limits: ComparableLimits,
): ScoredComparable {
  const km = distanceKm(subject.location, sale.location);
  const ageDays = (Date.parse(asOf) - Date.parse(sale.soldAt)) / MS_PER_DAY;
  const score =
    km / limits.radiusKm +
    Math.max(0, ageDays) / limits.windowDays +
    Math.abs(Math.log2(sale.areaSqm / subject.areaSqm)) +
    Math.abs(sale.bedrooms - subject.bedrooms) * 0.5 +
    Math.abs(sale.bathrooms - subject.bathrooms) * 0.3 +
    (sale.propertyType === subject.propertyType ? 0 : 1);
  return { sale, distanceKm: km, dissimilarity: score };
}

/**
 * The comparables for a subject among candidate sales: never the subject itself, never a
 * sale on or after `asOf` (a valuation as of a day knows only what was sold before it),
 * within the radius and window, the most similar first.
 */
export function selectComparables(
  subject: ValuationSubject,
  candidates: readonly ComparableSale[],
  asOf: string,
  limits: ComparableLimits,
): ScoredComparable[] {
  const asOfMs = Date.parse(asOf);
  const earliest = asOfMs - limits.windowDays * MS_PER_DAY;
  return candidates
    .filter((sale) => sale.id !== subject.id && sale.salePrice.currency === subject.currency)
    .filter((sale) => {
      const soldMs = Date.parse(sale.soldAt);
      return soldMs < asOfMs && soldMs >= earliest && sale.areaSqm > 0;
    })
    .map((sale) => dissimilarity(subject, sale, asOf, limits))
    .filter((scored) => scored.distanceKm <= limits.radiusKm)
    .sort((a, b) => a.dissimilarity - b.dissimilarity || a.sale.id.localeCompare(b.sale.id))
    .slice(0, limits.maxComparables);
}
