/** How the benchmarks' text reports write their figures. */

/** A count or a rate, rounded, with thousands separators; `-` when there is none (NaN, ∞). */
export const int = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');

/** A share (0..1) as a whole percentage. */
export const percent = (share: number): string => `${(share * 100).toFixed(0)}%`;
