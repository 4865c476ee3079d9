import { adjustedToDate, fitMarketTrend, MAX_ANNUAL_CHANGE, type MonthlyPricePerSqm } from './market-trend';

/** Twelve months from January 2026, the median rising `yearly` a year from 5,000 per m². */
function risingMonths(yearly: number, salesPerMonth = 10): MonthlyPricePerSqm[] {
  return Array.from({ length: 12 }, (_, i) => {
    const month = new Date(Date.UTC(2026, i, 1)).toISOString();
    const years = (Date.parse(month) - Date.UTC(2026, 0, 1)) / (365.25 * 86_400_000);
    return { month, sales: salesPerMonth, medianPricePerSqm: 5000 * (1 + yearly) ** years };
  });
}

describe('the market trend', () => {
  it('recovers the yearly growth of a steadily rising market', () => {
    const trend = fitMarketTrend(risingMonths(0.06));
    expect(trend.fitted).toBe(true);
    expect(trend.annualChange).toBeCloseTo(0.06, 4);
    expect(trend).toMatchObject({ months: 12, sales: 120 });
  });

  it('recovers a falling market as a negative change', () => {
    expect(fitMarketTrend(risingMonths(-0.04)).annualChange).toBeCloseTo(-0.04, 4);
  });

  it('weights each month by its sales, so a thin month moves the line less', () => {
    const months = risingMonths(0.05);
    const outlier = { ...months[11]!, medianPricePerSqm: 9000 };
    const thin = fitMarketTrend([...months.slice(0, 11), { ...outlier, sales: 1 }]);
    const thick = fitMarketTrend([...months.slice(0, 11), { ...outlier, sales: 100 }]);
    expect(thin.annualChange).toBeLessThan(thick.annualChange);
  });

  it('is flat, and says so, with too few months or sales', () => {
    expect(fitMarketTrend(risingMonths(0.1).slice(0, 2))).toEqual({
      annualChange: 0,
      months: 2,
      sales: 20,
      fitted: false,
    });
    expect(fitMarketTrend(risingMonths(0.1, 1).slice(0, 11)).fitted).toBe(false);
    expect(fitMarketTrend([]).fitted).toBe(false);
  });

  it('caps a runaway fit', () => {
    expect(fitMarketTrend(risingMonths(2)).annualChange).toBe(MAX_ANNUAL_CHANGE);
    expect(fitMarketTrend(risingMonths(-0.9)).annualChange).toBe(-MAX_ANNUAL_CHANGE);
  });

  it('brings an older price forward along the trend, and leaves it alone when flat', () => {
    const trend = { annualChange: 0.1, months: 12, sales: 120, fitted: true };
    expect(adjustedToDate(5000, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', trend)).toBeCloseTo(5500, -1);
    const flat = { ...trend, annualChange: 0, fitted: false };
    expect(adjustedToDate(5000, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', flat)).toBe(5000);
  });
});
