import type { MajorMoney } from '../../shared/domain/money';

export interface GeoPoint {
  lat: number;
  lon: number;
}

/** The property to value: a listed one as the read model holds it, or one a caller describes. */
export interface ValuationSubject {
  /** Set for a listed property: it is never its own comparable. */
  id: string | null;
  city: string;
  propertyType: string;
  areaSqm: number;
  bedrooms: number;
  bathrooms: number;
  location: GeoPoint;
  /** Comparables are sales in this currency. */
  currency: string;
}

/** A sale that may serve as a comparable, as the read model holds it. */
export interface ComparableSale {
  id: string;
  street: string;
  city: string;
  propertyType: string;
  areaSqm: number;
  bedrooms: number;
  bathrooms: number;
  location: GeoPoint;
  soldAt: string;
  salePrice: MajorMoney;
}
