/** One month of a market's sales: when, how many, and their median price per m². */
export interface MonthlyPricePerSqm {
  /** The first day of the month, ISO 8601. */
  month: string;
  sales: number;
  medianPricePerSqm: number;
}

/** How prices per m² move in a market: the growth rate fitted to its recent months. */
export interface MarketTrend {
  /** Fractional change per year (0.05: prices per m² rise 5 % a year); 0 when flat or unknown. */
  annualChange: number;
  months: number;
  sales: number;
  /** Whether enough history stood behind the fit; without it the trend is taken as flat. */
  fitted: boolean;
}

/** Fewer months than this, or fewer sales, and a fitted slope says more about noise than the market. */
export const MIN_TREND_MONTHS = 3;
export const MIN_TREND_SALES = 12;
/** A guard against a fit run wild on thin data: no housing market moves 30 % a year for long. */
export const MAX_ANNUAL_CHANGE = 0.3;
const MS_PER_YEAR = 365.25 * 86_400_000;

/**
 * The market's trend: a least-squares line through the log of each month's median price
 * per m², each month weighted by its number of sales. Logs make the slope a growth rate,
 * so a 300k and a 900k market rising alike get the same trend.
 */
export function fitMarketTrend(months: readonly MonthlyPricePerSqm[]): MarketTrend {
  const usable = months.filter((m) => m.sales > 0 && m.medianPricePerSqm > 0);
  const sales = usable.reduce((sum, m) => sum + m.sales, 0);
  const flat = { annualChange: 0, months: usable.length, sales, fitted: false };
  if (usable.length < MIN_TREND_MONTHS || sales < MIN_TREND_SALES) return flat;
  const points = usable.map((m) => ({
    t: Date.parse(m.month) / MS_PER_YEAR,
    y: Math.log(m.medianPricePerSqm),
    w: m.sales,
  }));
  const meanT = points.reduce((s, p) => s + p.w * p.t, 0) / sales;
  const meanY = points.reduce((s, p) => s + p.w * p.y, 0) / sales;
  const sxx = points.reduce((s, p) => s + p.w * (p.t - meanT) ** 2, 0);
  if (sxx === 0) return flat;
  const slope = points.reduce((s, p) => s + p.w * (p.t - meanT) * (p.y - meanY), 0) / sxx;
  const annualChange = Math.exp(slope) - 1;
  const bounded = Math.max(-MAX_ANNUAL_CHANGE, Math.min(MAX_ANNUAL_CHANGE, annualChange));
  return { annualChange: bounded, months: usable.length, sales, fitted: true };
}

/** A price per m² paid at `soldAt`, brought forward (or back) to `asOf` along the trend. */
export function adjustedToDate(
  pricePerSqm: number,
  soldAt: string,
  asOf: string,
  trend: MarketTrend,
): number {
  const years = (Date.parse(asOf) - Date.parse(soldAt)) / MS_PER_YEAR;
  return pricePerSqm * (1 + trend.annualChange) ** years;
}
