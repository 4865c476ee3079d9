/** The market the demo seeds: Dutch cities with their price levels, street names, property types. */
/** Each city's centre and its price per m² there (euros, 2026-ish levels). */
const cities = [
  { city: 'Amsterdam', region: 'Noord-Holland', postal: '10', lat: 52.37, lon: 4.89, perSqm: 7_400 },
  { city: 'Rotterdam', region: 'Zuid-Holland', postal: '30', lat: 51.92, lon: 4.48, perSqm: 4_300 },
  { city: 'Utrecht', region: 'Utrecht', postal: '35', lat: 52.09, lon: 5.12, perSqm: 5_600 },
  { city: 'Den Haag', region: 'Zuid-Holland', postal: '25', lat: 52.08, lon: 4.3, perSqm: 4_800 },
  { city: 'Eindhoven', region: 'Noord-Brabant', postal: '56', lat: 51.44, lon: 5.48, perSqm: 4_200 },
  { city: 'Groningen', region: 'Groningen', postal: '97', lat: 53.22, lon: 6.57, perSqm: 3_600 },
  { city: 'Haarlem', region: 'Noord-Holland', postal: '20', lat: 52.38, lon: 4.64, perSqm: 6_000 },
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
/** What a type fetches per m² against an apartment's. */
const typePremium: Record<(typeof types)[number], number> = {
  apartment: 1,
  house: 1.08,
  townhouse: 1.04,
  condo: 0.97,
};
/** Prices per m² fall away from the centre, by this share per kilometre. */
const DISCOUNT_PER_KM = 0.025;

/** A standard normal draw (Box–Muller): asking prices scatter log-normally around value. */
function normal(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

/** Rounded to whole thousands, as asking prices and offers are. */
export const roundedPrice = (amount: number): number => Math.round(amount / 1000) * 1000;

/**
 * The `i`th listing (the body of POST /properties): its city, street and type go round the
 * lists; bedrooms, area and location vary at random. Its asking price follows what such a
 * home is worth there (the city's price per m², less further from the centre, more for a
 * house), scattered about 7 % either way as real asking prices are: so the valuation
 * model's backtest has a market with structure to learn, and noise it cannot.
 */
export function demoListing(i: number): { body: Record<string, unknown>; price: number } {
  const c = cities[i % cities.length] as (typeof cities)[number];
  const type = types[i % types.length] as (typeof types)[number];
  const bedrooms = 1 + Math.floor(Math.random() * 5);
  const areaSqm = 35 + bedrooms * 22 + Math.floor(Math.random() * 30);
  const northKm = (Math.random() - 0.5) * 8.8;
  const eastKm = (Math.random() - 0.5) * 8.2;
  const fromCentreKm = Math.hypot(northKm, eastKm);
  const worth = c.perSqm * areaSqm * typePremium[type] * (1 - DISCOUNT_PER_KM * fromCentreKm);
  const price = roundedPrice(worth * Math.exp(0.07 * normal()));
  const body = {
    address: {
      street: `${streets[i % streets.length]} ${1 + (i % 180)}`,
      city: c.city,
      postalCode: `${c.postal}${String(10 + (i % 89)).padStart(2, '0')} ${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i * 7) % 26))}`,
      region: c.region,
      country: 'NL',
      lat: c.lat + northKm / 111.2,
      lon: c.lon + eastKm / (111.2 * Math.cos((c.lat * Math.PI) / 180)),
    },
    price: { amount: price, currency: 'EUR' },
    bedrooms,
    bathrooms: 1 + Math.floor(bedrooms / 3),
    areaSqm,
    type,
  };
  return { body, price };
}
