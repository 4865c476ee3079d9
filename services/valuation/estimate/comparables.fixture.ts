import type { ComparableSale, ValuationSubject } from './valuation-subject';

/** A house in Utrecht's centre, 100 m², 3 bedrooms, valued in euros. */
export const utrechtHouse: ValuationSubject = {
  id: 'subject',
  city: 'Utrecht',
  propertyType: 'house',
  areaSqm: 100,
  bedrooms: 3,
  bathrooms: 1,
  location: { lat: 52.09, lon: 5.12 },
  currency: 'EUR',
};

/** A sale like the subject's, changed where `overrides` says. */
export function saleLike(id: string, overrides: Partial<ComparableSale> = {}): ComparableSale {
  return {
    id,
    street: `Street ${id}`,
    city: 'Utrecht',
    propertyType: 'house',
    areaSqm: 100,
    bedrooms: 3,
    bathrooms: 1,
    location: { lat: 52.091, lon: 5.121 },
    soldAt: '2026-05-01T00:00:00.000Z',
    salePrice: { amount: 500_000, currency: 'EUR' },
    ...overrides,
  };
}
