import { FeedRecordError, feedListingOf } from './reso-listing';

const record = {
  ListingKey: 'K-1',
  ModificationTimestamp: '2026-11-02T08:09:27Z',
  StandardStatus: 'Active',
  ListPrice: 634000,
  CurrencyCode: 'EUR',
  StreetNumber: '80',
  StreetName: 'Ferdinand Bolstraat',
  City: 'Amsterdam',
  StateOrProvince: 'Noord-Holland',
  PostalCode: '1062 NP',
  Country: 'NL',
  Latitude: 52.34953,
  Longitude: 4.84196,
  BedroomsTotal: 3,
  BathroomsTotalInteger: 1,
  LivingArea: 85,
  LivingAreaUnits: 'Square Meters',
  PropertyType: 'Residential',
  PropertySubType: 'Condominium',
  PublicRemarks: '  Charming.  ',
  ListAgentEmail: 'Agent1@Deedstream.test',
  ListOfficeName: 'Deedstream Makelaars',
};
const line = (changes: Record<string, unknown> = {}) => JSON.stringify({ ...record, ...changes });

describe('a RESO feed record', () => {
  it('becomes a listing in the platform’s terms', () => {
    expect(feedListingOf(line())).toEqual({
      listingKey: 'K-1',
      modifiedAt: '2026-11-02T08:09:27Z',
      status: { onMarket: true },
      price: { amountMinor: 63_400_000, currency: 'EUR' },
      address: {
        street: 'Ferdinand Bolstraat 80',
        city: 'Amsterdam',
        postalCode: '1062 NP',
        region: 'Noord-Holland',
        country: 'NL',
        lat: 52.34953,
        lon: 4.84196,
      },
      bedrooms: 3,
      bathrooms: 1,
      areaSqm: 85,
      propertyType: 'condo',
      description: 'Charming.',
      agentEmail: 'agent1@deedstream.test',
    });
  });

  it('converts square feet to square metres, and knows off-market statuses', () => {
    expect(feedListingOf(line({ LivingArea: 1000, LivingAreaUnits: 'Square Feet' })).areaSqm).toBe(92.9);
    expect(feedListingOf(line({ StandardStatus: 'Canceled' })).status).toEqual({
      onMarket: false,
      resoStatus: 'Canceled',
    });
  });

  it('refuses a bad record naming every bad field', () => {
    const refusal = (changes: Record<string, unknown>) => {
      try {
        feedListingOf(line(changes));
      } catch (error) {
        if (error instanceof FeedRecordError) return error.reason;
        throw error;
      }
      throw new Error('accepted');
    };
    expect(refusal({ ListPrice: null })).toBe('ListPrice: a number');
    expect(refusal({ Latitude: 123.4, LivingArea: 0 })).toBe(
      'Latitude: from -90 to 90; LivingArea: must be above 0',
    );
    expect(refusal({ StandardStatus: 'Closed' })).toMatch(
      /^StandardStatus: one of Active, Withdrawn, Canceled, Expired/,
    );
    expect(refusal({ PropertySubType: 'Castle' })).toMatch(/^PropertySubType: one of Apartment/);
    expect(() => feedListingOf('{not json')).toThrow('not a JSON object: the line does not parse');
    // Valid JSON that Postgres cannot store fails the record, not the importer.
    expect(refusal({ PublicRemarks: 'a\u0000b' })).toBe(
      'PublicRemarks: contains U+0000 (NUL), which cannot be stored',
    );
  });
});
