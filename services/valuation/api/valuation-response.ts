import type { z } from 'zod';
import type { MajorMoney } from '../../shared/domain/money';
import type { Valuation } from '../estimate/value-property';
import type { ValuationSubject } from '../estimate/valuation-subject';
import type { valuationJson } from './response-schemas';

const rounded = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** A valuation as the API answers it: the subject, the estimate and every comparable used. */
export function valuationAnswer(
  subject: ValuationSubject,
  askingPrice: MajorMoney | null,
  valuation: Valuation,
): z.output<typeof valuationJson> {
  return {
    subject: {
      propertyId: subject.id,
      city: subject.city,
      propertyType: subject.propertyType,
      areaSqm: subject.areaSqm,
      bedrooms: subject.bedrooms,
      bathrooms: subject.bathrooms,
      location: subject.location,
      askingPrice,
    },
    ...valuation,
    marketTrend: { ...valuation.marketTrend, annualChange: rounded(valuation.marketTrend.annualChange, 4) },
    comparables: valuation.comparables.map(
      ({ sale, distanceKm, pricePerSqm, adjustedPricePerSqm, weight }) => ({
        ...sale,
        distanceKm: rounded(distanceKm, 2),
        pricePerSqm: Math.round(pricePerSqm),
        adjustedPricePerSqm: Math.round(adjustedPricePerSqm),
        weight: rounded(weight, 3),
      }),
    ),
  };
}
