import { saleLike, utrechtHouse } from './comparables.fixture';
import { dissimilarity, selectComparables } from './comparable-selection';

const limits = { radiusKm: 5, windowDays: 365, maxComparables: 3 };
const asOf = '2026-06-01T00:00:00.000Z';

describe('choosing comparables', () => {
  it('ranks the sale most like the subject first', () => {
    const chosen = selectComparables(
      utrechtHouse,
      [
        saleLike('bigger', { areaSqm: 150 }),
        saleLike('apartment', { propertyType: 'apartment' }),
        saleLike('twin'),
        saleLike('far', { location: { lat: 52.12, lon: 5.12 } }),
      ],
      asOf,
      limits,
    );
    expect(chosen.map((c) => c.sale.id)).toEqual(['twin', 'bigger', 'far']);
  });

  it('never takes the subject itself, a sale on or after the valuation date, or one outside window, radius or currency', () => {
    const chosen = selectComparables(
      utrechtHouse,
      [
        saleLike('subject'),
        saleLike('on the day', { soldAt: asOf }),
        saleLike('after', { soldAt: '2026-07-01T00:00:00.000Z' }),
        saleLike('too old', { soldAt: '2025-05-01T00:00:00.000Z' }),
        saleLike('Amersfoort', { location: { lat: 52.156, lon: 5.387 } }),
        saleLike('in dollars', { salePrice: { amount: 500_000, currency: 'USD' } }),
        saleLike('fine'),
      ],
      asOf,
      limits,
    );
    expect(chosen.map((c) => c.sale.id)).toEqual(['fine']);
  });

  it('keeps at most the configured number', () => {
    const many = Array.from({ length: 10 }, (_, i) => saleLike(`s${i}`));
    expect(selectComparables(utrechtHouse, many, asOf, limits)).toHaveLength(3);
  });

  it('counts double the area as much as another property type', () => {
    const doubled = dissimilarity(
      utrechtHouse,
      saleLike('a', { areaSqm: 200, location: utrechtHouse.location, soldAt: asOf }),
      asOf,
      limits,
    );
    const otherType = dissimilarity(
      utrechtHouse,
      saleLike('b', { propertyType: 'condo', location: utrechtHouse.location, soldAt: asOf }),
      asOf,
      limits,
    );
    expect(doubled.dissimilarity).toBeCloseTo(1, 6);
    expect(otherType.dissimilarity).toBeCloseTo(1, 6);
  });

  it('measures distance along the earth (about 1.1 km per hundredth of a degree of latitude)', () => {
    const north = dissimilarity(
      utrechtHouse,
      saleLike('n', { location: { lat: 52.1, lon: 5.12 } }),
      asOf,
      limits,
    );
    expect(north.distanceKm).toBeCloseTo(1.112, 2);
  });
});
