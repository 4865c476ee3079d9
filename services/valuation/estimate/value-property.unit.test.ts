import { saleLike, utrechtHouse } from './comparables.fixture';
import type { MonthlyPricePerSqm } from './market-trend';
import { valueProperty, type SalesHistory } from './value-property';
import type { ComparableSale } from './valuation-subject';

const settings = { radiusKm: 5, windowDays: 365, maxComparables: 8, minComparables: 3 };
const asOf = '2026-06-01T00:00:00.000Z';

/** A history that answers from a list, as the read model would (the selection filters the rest). */
function historyOf(sales: ComparableSale[], months: MonthlyPricePerSqm[] = []): SalesHistory {
  return {
    candidates: async () => sales,
    monthlyPricePerSqm: async () => months,
  };
}

describe('a valuation by sales comparison', () => {
  it('prices the subject at its comparables’ price per m², with a band around it', async () => {
    const sales = [480_000, 500_000, 520_000].map((amount, i) =>
      saleLike(`s${i}`, { salePrice: { amount, currency: 'EUR' } }),
    );
    const valuation = await valueProperty(
      historyOf(sales),
      { ...utrechtHouse, areaSqm: 120 },
      asOf,
      settings,
    );
    expect(valuation.outcome).toBe('estimated');
    // A geometric mean of 4,800, 5,000 and 5,200 per m², times 120 m².
    expect(valuation.estimate).toEqual({ amount: 600_000, currency: 'EUR' });
    expect(valuation.pricePerSqm).toBe(4997);
    expect(valuation.band!.low.amount).toBeLessThan(600_000);
    expect(valuation.band!.high.amount).toBeGreaterThan(600_000);
    expect(valuation.band!.confidence).toBe(0.8);
    expect(valuation.sampleSize).toBe(3);
    expect(valuation.comparables.reduce((sum, c) => sum + c.weight, 0)).toBeCloseTo(1, 9);
  });

  it('weights the closer match more', async () => {
    const sales = [
      saleLike('twin', { salePrice: { amount: 500_000, currency: 'EUR' } }),
      saleLike('twin2', { salePrice: { amount: 500_000, currency: 'EUR' } }),
      saleLike('unlike', {
        propertyType: 'apartment',
        bedrooms: 1,
        salePrice: { amount: 800_000, currency: 'EUR' },
      }),
    ];
    const valuation = await valueProperty(historyOf(sales), utrechtHouse, asOf, settings);
    expect(valuation.estimate!.amount).toBeLessThan(600_000);
    const unlike = valuation.comparables.find((c) => c.sale.id === 'unlike')!;
    expect(unlike.weight).toBeLessThan(0.2);
  });

  it('moves older sales to the valuation date along a rising market', async () => {
    const sales = [0, 1, 2].map((i) =>
      saleLike(`s${i}`, {
        soldAt: '2025-06-01T00:00:00.000Z',
        salePrice: { amount: 500_000, currency: 'EUR' },
      }),
    );
    const months = Array.from({ length: 12 }, (_, i) => ({
      month: new Date(Date.UTC(2025, 5 + i, 1)).toISOString(),
      sales: 10,
      medianPricePerSqm: 5000 * 1.1 ** (i / 12),
    }));
    const flat = await valueProperty(historyOf(sales), utrechtHouse, asOf, settings);
    const rising = await valueProperty(historyOf(sales, months), utrechtHouse, asOf, settings);
    expect(flat.estimate!.amount).toBe(500_000);
    expect(rising.marketTrend.fitted).toBe(true);
    expect(rising.marketTrend.annualChange).toBeCloseTo(0.1, 2);
    expect(rising.estimate!.amount).toBe(550_000);
  });

  it('answers "not enough comparables" rather than guessing from too few', async () => {
    const valuation = await valueProperty(
      historyOf([saleLike('only'), saleLike('two')]),
      utrechtHouse,
      asOf,
      settings,
    );
    expect(valuation).toMatchObject({
      outcome: 'insufficient-comparables',
      estimate: null,
      band: null,
      pricePerSqm: null,
      sampleSize: 2,
      minimumSample: 3,
    });
    expect(valuation.comparables.map((c) => c.sale.id)).toEqual(['only', 'two']);
  });

  it('widens the band when the comparables disagree', async () => {
    const agreeing = [500_000, 505_000, 495_000, 500_000].map((amount, i) =>
      saleLike(`a${i}`, { salePrice: { amount, currency: 'EUR' } }),
    );
    const scattered = [350_000, 650_000, 420_000, 600_000].map((amount, i) =>
      saleLike(`s${i}`, { salePrice: { amount, currency: 'EUR' } }),
    );
    const width = async (sales: ComparableSale[]) => {
      const { band } = await valueProperty(historyOf(sales), utrechtHouse, asOf, settings);
      return band!.high.amount - band!.low.amount;
    };
    expect(await width(scattered)).toBeGreaterThan(2 * (await width(agreeing)));
  });
});
