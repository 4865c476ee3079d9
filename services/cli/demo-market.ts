/** The market the demo seeds: Dutch cities with their price levels, street names, property types. */
const cities = [
  { city: 'Amsterdam', region: 'Noord-Holland', postal: '10', lat: 52.37, lon: 4.89, base: 650_000 },
  { city: 'Rotterdam', region: 'Zuid-Holland', postal: '30', lat: 51.92, lon: 4.48, base: 420_000 },
  { city: 'Utrecht', region: 'Utrecht', postal: '35', lat: 52.09, lon: 5.12, base: 520_000 },
  { city: 'Den Haag', region: 'Zuid-Holland', postal: '25', lat: 52.08, lon: 4.3, base: 460_000 },
  { city: 'Eindhoven', region: 'Noord-Brabant', postal: '56', lat: 51.44, lon: 5.48, base: 390_000 },
  { city: 'Groningen', region: 'Groningen', postal: '97', lat: 53.22, lon: 6.57, base: 330_000 },
  { city: 'Haarlem', region: 'Noord-Holland', postal: '20', lat: 52.38, lon: 4.64, base: 540_000 },
];
const streets = [
  'Kerkstraat',
  'Molenweg',
  'Stationsplein',
  'Dorpsstraat',
  'Lindenlaan',
  'Havenkade',
  'Parkweg',
  'Schoolstraat',
];
const types = ['apartment', 'house', 'townhouse', 'condo'] as const;

/** Rounded to whole thousands, as asking prices and offers are. */
export const roundedPrice = (amount: number): number => Math.round(amount / 1000) * 1000;

/**
 * The `i`th listing (the body of POST /properties): its city, street and type go round the
 * lists; bedrooms, price, location and area vary at random around the city's level.
 */
export function demoListing(i: number): { body: Record<string, unknown>; price: number } {
  const c = cities[i % cities.length] as (typeof cities)[number];
  const bedrooms = 1 + Math.floor(Math.random() * 5);
  const price = roundedPrice(c.base * (0.6 + Math.random() * 0.9) * (0.7 + bedrooms * 0.15));
  const body = {
    address: {
      street: `${streets[i % streets.length]} ${1 + (i % 180)}`,
      city: c.city,
      postalCode: `${c.postal}${String(10 + (i % 89)).padStart(2, '0')} ${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i * 7) % 26))}`,
      region: c.region,
      country: 'NL',
      lat: c.lat + (Math.random() - 0.5) * 0.08,
      lon: c.lon + (Math.random() - 0.5) * 0.12,
    },
    price: { amount: price, currency: 'EUR' },
    bedrooms,
    bathrooms: 1 + Math.floor(bedrooms / 3),
    areaSqm: 35 + bedrooms * 22 + Math.floor(Math.random() * 30),
    type: types[i % types.length],
  };
  return { body, price };
}
