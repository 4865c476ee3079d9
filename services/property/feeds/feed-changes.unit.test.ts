import type { PropertyView } from '../domain/property-view';
import { feedCommands } from './feed-changes';
import { feedPropertyId } from './feed-property-id';
import { FeedRecordError, type FeedListing } from './reso-listing';

const listing: FeedListing = {
  listingKey: 'K-1',
  modifiedAt: '2026-11-02T08:09:27Z',
  status: { onMarket: true },
  price: { amountMinor: 50_000_000, currency: 'EUR' },
  address: {
    street: 'Kerkstraat 1',
    city: 'Utrecht',
    postalCode: '3511 AA',
    region: 'Utrecht',
    country: 'NL',
    lat: 52.09,
    lon: 5.12,
  },
  bedrooms: 3,
  bathrooms: 1,
  areaSqm: 100,
  propertyType: 'house',
  description: null,
  agentEmail: 'a@b.test',
};
const view: PropertyView = {
  id: 'p',
  version: 1,
  status: 'listed',
  address: listing.address,
  price: listing.price,
  bedrooms: 3,
  bathrooms: 1,
  areaSqm: 100,
  propertyType: 'house',
  description: null,
  listedAt: '2026-11-02T08:09:27Z',
  ownerId: 'agent',
  listingAgent: null,
  offers: [],
  acceptedOfferId: null,
  reservation: null,
  salePrice: null,
  priceChangeCount: 0,
};
const eur = (amount: number) => ({ amountMinor: amount * 100, currency: 'EUR' });

describe('what a feed record changes', () => {
  it('changes nothing when the record says what the listing says', () => {
    expect(feedCommands(view, listing)).toEqual([]);
  });

  it('cuts the price, and changes only the details that differ', () => {
    expect(feedCommands(view, { ...listing, price: eur(480_000), bedrooms: 4, areaSqm: 115 })).toEqual([
      { type: 'ChangePrice', price: eur(480_000) },
      { type: 'UpdateDetails', changes: { bedrooms: 4, areaSqm: 115 } },
    ]);
  });

  it('withdraws a listed property the feed took off the market, and relists a withdrawn one at the feed’s price', () => {
    expect(feedCommands(view, { ...listing, status: { onMarket: false, resoStatus: 'Expired' } })).toEqual([
      { type: 'WithdrawListing', reason: 'feed: Expired' },
    ]);
    const withdrawn: PropertyView = { ...view, status: 'withdrawn' };
    expect(
      feedCommands(withdrawn, { ...listing, status: { onMarket: false, resoStatus: 'Withdrawn' } }),
    ).toEqual([]);
    expect(feedCommands(withdrawn, listing)).toEqual([{ type: 'Relist', price: null }]);
    expect(feedCommands(withdrawn, { ...listing, price: eur(450_000) })).toEqual([
      { type: 'Relist', price: eur(450_000) },
    ]);
  });

  it('leaves a listing the platform reserved or sold to the platform', () => {
    expect(() => feedCommands({ ...view, status: 'sold' }, listing)).toThrow(FeedRecordError);
    expect(() => feedCommands({ ...view, status: 'reserved' }, listing)).toThrow(/reserved on the platform/);
  });

  it('removes a description the feed no longer sends', () => {
    expect(feedCommands({ ...view, description: 'Old text' }, listing)).toEqual([
      { type: 'UpdateDetails', changes: { description: '' } },
    ]);
  });
});

describe('a feed listing’s property id', () => {
  it('is the same UUID for the same source and key, and another for another source', () => {
    const id = feedPropertyId('sample_mls', 'SMLS-000001');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(feedPropertyId('sample_mls', 'SMLS-000001')).toBe(id);
    expect(feedPropertyId('other_mls', 'SMLS-000001')).not.toBe(id);
  });
});
