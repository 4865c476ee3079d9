import { moneyFromMajor } from '../../services/shared/domain/money';
import { listedProperty, type Property } from '../../services/property/domain/property';

/** A realistic canal-side listing, so bench payloads have the size real events have. */
export function sampleListing(id: string, houseNumber: number): Property {
  return listedProperty(
    id,
    {
      address: {
        street: `Keizersgracht ${houseNumber % 1000}`,
        city: 'Amsterdam',
        postalCode: '1015 CJ',
        region: 'Noord-Holland',
        country: 'NL',
        lat: 52.3731,
        lon: 4.8837,
      },
      price: moneyFromMajor(650_000, 'EUR'),
      bedrooms: 3,
      bathrooms: 2,
      areaSqm: 120,
      propertyType: 'apartment',
      description: 'Bright canal-side apartment with a roof terrace, two bedrooms and a study.',
      ownerId: 'bench-seller',
    },
    new Date(),
  );
}
