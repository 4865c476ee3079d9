import type { Valuation } from '../estimate/value-property';
import { backtestReport, type BacktestCase } from './backtest-report';

const trend = { annualChange: 0, months: 0, sales: 0, fitted: false };
const eur = (amount: number) => ({ amount, currency: 'EUR' });

function valued(soldFor: number, estimate: number | null, band: [number, number] = [0, 0]): BacktestCase {
  const valuation: Valuation = {
    method: 'sales-comparison',
    asOf: '2026-01-01T00:00:00.000Z',
    outcome: estimate === null ? 'insufficient-comparables' : 'estimated',
    estimate: estimate === null ? null : eur(estimate),
    band: estimate === null ? null : { low: eur(band[0]), high: eur(band[1]), confidence: 0.8 },
    pricePerSqm: null,
    sampleSize: 3,
    minimumSample: 3,
    marketTrend: trend,
    comparables: [],
  };
  return { propertyId: `p${soldFor}`, soldFor, valuation };
}

describe('the backtest report', () => {
  it('gives the median absolute percentage error, the shares within 10 and 20 %, and the band coverage', () => {
    const report = backtestReport([
      valued(100, 105, [90, 110]), // 5 %, inside
      valued(100, 92, [80, 98]), // 8 %, outside
      valued(100, 115, [100, 130]), // 15 %, inside
      valued(100, 150, [140, 160]), // 50 %, outside
      valued(100, null),
    ]);
    expect(report).toEqual({
      sales: 5,
      estimated: 4,
      insufficientComparables: 1,
      medianAbsolutePercentageError: (0.08 + 0.15) / 2,
      withinTenPercent: 0.5,
      withinTwentyPercent: 0.75,
      bandCoverage: 0.5,
      medianBandWidth: expect.any(Number),
    });
  });

  it('has no figures, rather than zeros, when nothing could be estimated', () => {
    expect(backtestReport([valued(100, null)])).toMatchObject({
      estimated: 0,
      medianAbsolutePercentageError: null,
      withinTenPercent: null,
      bandCoverage: null,
    });
  });
});
