import { keizersgracht } from './representative-events';
import { DomainError } from '../../shared/errors/domain-error';
import type { Address } from './address';
import { moneyFromMajor, type Money } from '../../shared/domain/money';
import {
  blankProperty,
  listedProperty,
  propertyView,
  type ListPropertyInput,
  type Property,
  type PropertyDetailsChanges,
} from './property';
import type { PropertyEvent } from '../published/property-events';
import { propertyRules, type PropertyRule } from './property-rules';

const listedAt = new Date('2024-03-01T10:00:00.000Z');
const eur = (major: number): Money => moneyFromMajor(major, 'EUR');
const usd = (major: number): Money => moneyFromMajor(major, 'USD');

const address: Address = keizersgracht;

const listing: ListPropertyInput = {
  address,
  price: eur(450_000),
  bedrooms: 3,
  bathrooms: 2,
  areaSqm: 120.5,
  propertyType: 'apartment',
  description: 'Canal-side apartment',
  ownerId: 'seller-1',
};

const statusOf = (property: Property) => property.state.listing?.status ?? null;

function folded(id: string, history: readonly PropertyEvent[]): Property {
  const property = blankProperty(id);
  property.loadFromHistory(history);
  return property;
}

/** Each builder returns an aggregate with nothing uncommitted, so a test sees only what it raises. */
function committed(property: Property): Property {
  property.markCommitted();
  return property;
}

function listed(input: Partial<ListPropertyInput> = {}): Property {
  return committed(listedProperty('property-1', { ...listing, ...input }, listedAt));
}

function withOffers(): Property {
  const property = listed();
  property.execute({ type: 'ReceiveOffer', offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(440_000) });
  property.execute({ type: 'ReceiveOffer', offerId: 'offer-2', buyerId: 'buyer-2', amount: eur(430_000) });
  return committed(property);
}

function withAcceptedOffer(): Property {
  const property = withOffers();
  property.execute({ type: 'AcceptOffer', offerId: 'offer-1' });
  return committed(property);
}

function reserved(): Property {
  const property = withAcceptedOffer();
  property.execute({ type: 'Reserve', transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' });
  return committed(property);
}

function sold(): Property {
  const property = reserved();
  property.execute({ type: 'MarkSold', transactionId: 'tx-1' });
  return committed(property);
}

function withdrawn(): Property {
  const property = listed();
  property.execute({ type: 'WithdrawListing', reason: 'Owner moved back in' });
  return committed(property);
}

function expectRefused(property: Property, rule: PropertyRule, command: (p: Property) => void): void {
  const version = property.version;
  const pending = property.uncommittedEvents.length;
  const before = statusOf(property) === null ? null : propertyView(property);
  let thrown: unknown;
  try {
    command(property);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  expect((thrown as DomainError).rule).toBe(rule);
  expect((thrown as DomainError).message).not.toBe('');
  expect(property.version).toBe(version);
  expect(property.uncommittedEvents).toHaveLength(pending);
  if (before !== null) expect(propertyView(property)).toEqual(before);
}

function raised(property: Property): readonly PropertyEvent[] {
  return property.uncommittedEvents;
}

describe('Property.list', () => {
  it('raises PropertyListed with the validated input and the given time', () => {
    const property = listedProperty(
      'property-1',
      {
        ...listing,
        address: { ...address, street: ' Keizersgracht 123 ' },
        description: '  Canal-side apartment ',
      },
      listedAt,
    );
    expect(raised(property)).toEqual([
      {
        type: 'PropertyListed',
        data: {
          address,
          price: { amountMinor: 45_000_000, currency: 'EUR' },
          bedrooms: 3,
          bathrooms: 2,
          areaSqm: 120.5,
          propertyType: 'apartment',
          description: 'Canal-side apartment',
          listedAt: '2024-03-01T10:00:00.000Z',
          ownerId: 'seller-1',
          listingAgent: null,
        },
      },
    ]);
    expect(property.version).toBe(1);
    expect(property.persistedVersion).toBe(0);
    expect(statusOf(property)).toBe('listed');
  });

  it('records a missing or blank description as null', () => {
    const { description: _omitted, ...withoutDescription } = listing;
    for (const input of [
      withoutDescription,
      { ...listing, description: '   ' },
      { ...listing, description: null },
    ]) {
      const [event] = raised(listedProperty('property-1', input, listedAt));
      expect(event?.type === 'PropertyListed' && event.data.description).toBeNull();
    }
  });

  it('copies its input so later changes by the caller cannot alter the event', () => {
    const price = { amountMinor: 100, currency: 'EUR' };
    const property = listedProperty('property-1', { ...listing, price }, listedAt);
    price.amountMinor = 1;
    expect(propertyView(property).price).toEqual({ amountMinor: 100, currency: 'EUR' });
  });

  it.each<[PropertyRule, Partial<ListPropertyInput>]>([
    ['price-not-positive', { price: eur(0) }],
    ['invalid-money', { price: { amountMinor: 1.5, currency: 'EUR' } }],
    ['invalid-money', { price: { amountMinor: 100, currency: 'eur' } }],
    ['invalid-address', { address: { ...address, lat: 91 } }],
    ['invalid-bedrooms', { bedrooms: -1 }],
    ['invalid-bedrooms', { bedrooms: 2.5 }],
    ['invalid-bedrooms', { bedrooms: 101 }],
    ['invalid-bathrooms', { bathrooms: 1.5 }],
    ['invalid-bathrooms', { bathrooms: Number.NaN }],
    ['invalid-area', { areaSqm: 0 }],
    ['invalid-area', { areaSqm: -10 }],
    ['invalid-area', { areaSqm: Number.POSITIVE_INFINITY }],
    ['invalid-property-type', { propertyType: 'castle' as ListPropertyInput['propertyType'] }],
  ])('refuses with %s for %p', (rule, change) => {
    expect(() => listedProperty('property-1', { ...listing, ...change }, listedAt)).toThrow(
      expect.objectContaining({ rule }),
    );
  });

  it('accepts the bounds of the room counts', () => {
    expect(() => listedProperty('p', { ...listing, bedrooms: 0, bathrooms: 100 }, listedAt)).not.toThrow();
  });

  it('refuses an empty id and an invalid clock reading', () => {
    expect(() => listedProperty(' ', listing, listedAt)).toThrow(
      expect.objectContaining({ rule: 'invalid-id' }),
    );
    expect(() => listedProperty('p', listing, new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('commands on a property that was never listed', () => {
  it.each<[string, (p: Property) => void]>([
    ['updateDetails', (p) => p.execute({ type: 'UpdateDetails', changes: { bedrooms: 4 } })],
    ['changePrice', (p) => p.execute({ type: 'ChangePrice', price: eur(1) })],
    ['receiveOffer', (p) => p.execute({ type: 'ReceiveOffer', offerId: 'o', buyerId: 'b', amount: eur(1) })],
    ['acceptOffer', (p) => p.execute({ type: 'AcceptOffer', offerId: 'o' })],
    ['rejectOffer', (p) => p.execute({ type: 'RejectOffer', offerId: 'o', reason: null })],
    ['withdrawOffer', (p) => p.execute({ type: 'WithdrawOffer', offerId: 'o' })],
    ['reserve', (p) => p.execute({ type: 'Reserve', transactionId: 't', offerId: 'o', buyerId: 'b' })],
    ['releaseReservation', (p) => p.execute({ type: 'ReleaseReservation', transactionId: 't', reason: 'r' })],
    ['markSold', (p) => p.execute({ type: 'MarkSold', transactionId: 't' })],
    ['withdrawListing', (p) => p.execute({ type: 'WithdrawListing', reason: null })],
    ['relist', (p) => p.execute({ type: 'Relist', price: null })],
  ])('%s is refused with property-not-found', (_name, command) => {
    expectRefused(blankProperty('ghost'), 'property-not-found', command);
  });

  it('has no status and no view', () => {
    const property = blankProperty('ghost');
    expect(statusOf(property)).toBeNull();
    expect(property.version).toBe(0);
    expect(() => propertyView(property)).toThrow(/no history/);
  });
});

describe('updateDetails', () => {
  it('records only the fields that change', () => {
    const property = listed();
    property.execute({
      type: 'UpdateDetails',
      changes: { bedrooms: 4, bathrooms: 2, areaSqm: 130, propertyType: null },
    });
    expect(raised(property)).toEqual([
      {
        type: 'PropertyDetailsUpdated',
        data: {
          address: null,
          bedrooms: 4,
          bathrooms: null,
          areaSqm: 130,
          propertyType: null,
          description: null,
        },
      },
    ]);
    expect(propertyView(property)).toMatchObject({ bedrooms: 4, bathrooms: 2, areaSqm: 130, version: 2 });
  });

  it('changes address, type and description', () => {
    const property = listed();
    const moved = { ...address, street: 'Herengracht 1', lat: 52.38 };
    property.execute({
      type: 'UpdateDetails',
      changes: { address: moved, propertyType: 'condo', description: 'Renovated' },
    });
    expect(raised(property)[0]?.data).toEqual({
      address: moved,
      bedrooms: null,
      bathrooms: null,
      areaSqm: null,
      propertyType: 'condo',
      description: 'Renovated',
    });
    expect(propertyView(property)).toMatchObject({
      address: moved,
      propertyType: 'condo',
      description: 'Renovated',
    });
  });

  it('removes the description when given a blank one, recording it as an empty string', () => {
    const property = listed();
    property.execute({ type: 'UpdateDetails', changes: { description: '  ' } });
    expect(raised(property)[0]?.data).toMatchObject({ description: '' });
    expect(propertyView(property).description).toBeNull();
  });

  it('is allowed while reserved and while withdrawn', () => {
    for (const property of [reserved(), withdrawn()]) {
      property.execute({ type: 'UpdateDetails', changes: { bathrooms: 3 } });
      expect(propertyView(property).bathrooms).toBe(3);
    }
  });

  it.each<[string, PropertyDetailsChanges]>([
    ['nothing', {}],
    ['only nulls', { address: null, bedrooms: null, description: null }],
    ['current values', { bedrooms: 3, bathrooms: 2, areaSqm: 120.5, propertyType: 'apartment' }],
    ['the same address, differently padded', { address: { ...address, city: ' Amsterdam ' } }],
    ['the same description', { description: ' Canal-side apartment ' }],
  ])('refuses no-changes for %s', (_case, changes) => {
    expectRefused(listed(), 'no-changes', (p) => p.execute({ type: 'UpdateDetails', changes }));
  });

  it('refuses no-changes when removing a description there is none of', () => {
    expectRefused(listed({ description: null }), 'no-changes', (p) =>
      p.execute({ type: 'UpdateDetails', changes: { description: '' } }),
    );
  });

  it('refuses on a sold property', () => {
    expectRefused(sold(), 'property-sold', (p) =>
      p.execute({ type: 'UpdateDetails', changes: { bedrooms: 4 } }),
    );
  });

  it.each<[PropertyRule, PropertyDetailsChanges]>([
    ['invalid-bedrooms', { bedrooms: -1 }],
    ['invalid-bathrooms', { bathrooms: 101 }],
    ['invalid-area', { areaSqm: 0 }],
    ['invalid-address', { address: { ...address, lon: 200 } }],
    ['invalid-property-type', { propertyType: 'igloo' as 'house' }],
  ])('refuses %s even when other fields are valid', (rule, change) => {
    expectRefused(listed(), rule, (p) =>
      p.execute({ type: 'UpdateDetails', changes: { bedrooms: 5, ...change } }),
    );
  });

  it('validates a value even when it equals nothing new', () => {
    expectRefused(listed(), 'invalid-bedrooms', (p) =>
      p.execute({ type: 'UpdateDetails', changes: { bedrooms: 3.5 } }),
    );
  });
});

describe('changePrice', () => {
  it('raises PriceChanged with the previous and new price', () => {
    const property = listed();
    property.execute({ type: 'ChangePrice', price: eur(425_000) });
    expect(raised(property)).toEqual([
      { type: 'PriceChanged', data: { previousPrice: eur(450_000), newPrice: eur(425_000) } },
    ]);
    expect(propertyView(property)).toMatchObject({ price: eur(425_000), priceChangeCount: 1 });
  });

  it('refuses price-unchanged', () => {
    expectRefused(listed(), 'price-unchanged', (p) =>
      p.execute({ type: 'ChangePrice', price: eur(450_000) }),
    );
  });

  it('refuses currency-mismatch', () => {
    expectRefused(listed(), 'currency-mismatch', (p) =>
      p.execute({ type: 'ChangePrice', price: usd(400_000) }),
    );
  });

  it('refuses a zero price and malformed money', () => {
    expectRefused(listed(), 'price-not-positive', (p) => p.execute({ type: 'ChangePrice', price: eur(0) }));
    expectRefused(listed(), 'invalid-money', (p) =>
      p.execute({ type: 'ChangePrice', price: { amountMinor: -5, currency: 'EUR' } }),
    );
  });

  it.each<[string, () => Property]>([
    ['reserved', reserved],
    ['sold', sold],
    ['withdrawn', withdrawn],
  ])('refuses property-not-listed while %s', (_status, build) => {
    expectRefused(build(), 'property-not-listed', (p) =>
      p.execute({ type: 'ChangePrice', price: eur(400_000) }),
    );
  });
});

describe('receiveOffer', () => {
  it('raises OfferReceived and tracks the offer as pending', () => {
    const property = listed();
    property.execute({ type: 'ReceiveOffer', offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(440_000) });
    expect(raised(property)).toEqual([
      { type: 'OfferReceived', data: { offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(440_000) } },
    ]);
    expect(propertyView(property).offers).toEqual([
      { offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(440_000), status: 'pending' },
    ]);
  });

  it('accepts further offers, above the price too, while another is accepted', () => {
    const property = withAcceptedOffer();
    property.execute({ type: 'ReceiveOffer', offerId: 'offer-3', buyerId: 'buyer-3', amount: eur(460_000) });
    expect(propertyView(property).offers.map((offer) => offer.offerId)).toEqual([
      'offer-1',
      'offer-2',
      'offer-3',
    ]);
  });

  it('refuses offer-on-sold-property', () => {
    expectRefused(sold(), 'offer-on-sold-property', (p) =>
      p.execute({ type: 'ReceiveOffer', offerId: 'offer-9', buyerId: 'buyer-9', amount: eur(1) }),
    );
  });

  it('refuses listing-withdrawn', () => {
    expectRefused(withdrawn(), 'listing-withdrawn', (p) =>
      p.execute({ type: 'ReceiveOffer', offerId: 'offer-9', buyerId: 'buyer-9', amount: eur(1) }),
    );
  });

  it('refuses property-reserved', () => {
    expectRefused(reserved(), 'property-reserved', (p) =>
      p.execute({ type: 'ReceiveOffer', offerId: 'offer-9', buyerId: 'buyer-9', amount: eur(1) }),
    );
  });

  it('refuses a zero amount, malformed money and another currency', () => {
    expectRefused(listed(), 'offer-amount-not-positive', (p) =>
      p.execute({ type: 'ReceiveOffer', offerId: 'o', buyerId: 'b', amount: eur(0) }),
    );
    expectRefused(listed(), 'invalid-money', (p) =>
      p.execute({
        type: 'ReceiveOffer',
        offerId: 'o',
        buyerId: 'b',
        amount: { amountMinor: 1, currency: 'X' },
      }),
    );
    expectRefused(listed(), 'currency-mismatch', (p) =>
      p.execute({ type: 'ReceiveOffer', offerId: 'o', buyerId: 'b', amount: usd(440_000) }),
    );
  });

  it('refuses duplicate-offer, also for an offer that is closed', () => {
    expectRefused(withOffers(), 'duplicate-offer', (p) =>
      p.execute({ type: 'ReceiveOffer', offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(1) }),
    );
    const property = withOffers();
    property.execute({ type: 'WithdrawOffer', offerId: 'offer-2' });
    expectRefused(property, 'duplicate-offer', (p) =>
      p.execute({ type: 'ReceiveOffer', offerId: 'offer-2', buyerId: 'buyer-2', amount: eur(1) }),
    );
  });

  it('refuses empty ids', () => {
    expectRefused(listed(), 'invalid-id', (p) =>
      p.execute({ type: 'ReceiveOffer', offerId: '', buyerId: 'buyer-1', amount: eur(1) }),
    );
    expectRefused(listed(), 'invalid-id', (p) =>
      p.execute({ type: 'ReceiveOffer', offerId: 'offer-1', buyerId: ' ', amount: eur(1) }),
    );
  });
});

describe('acceptOffer', () => {
  it('raises OfferAccepted with the offer’s buyer and amount', () => {
    const property = withOffers();
    property.execute({ type: 'AcceptOffer', offerId: 'offer-2' });
    expect(raised(property)).toEqual([
      { type: 'OfferAccepted', data: { offerId: 'offer-2', buyerId: 'buyer-2', amount: eur(430_000) } },
    ]);
    const view = propertyView(property);
    expect(view.acceptedOfferId).toBe('offer-2');
    expect(view.offers.map((offer) => offer.status)).toEqual(['pending', 'accepted']);
    expect(view.status).toBe('listed');
  });

  it('refuses offer-not-found', () => {
    expectRefused(withOffers(), 'offer-not-found', (p) =>
      p.execute({ type: 'AcceptOffer', offerId: 'offer-9' }),
    );
  });

  it('refuses offer-not-pending for a rejected or withdrawn offer', () => {
    const property = withOffers();
    property.execute({ type: 'RejectOffer', offerId: 'offer-1', reason: 'Too low' });
    property.execute({ type: 'WithdrawOffer', offerId: 'offer-2' });
    expectRefused(property, 'offer-not-pending', (p) =>
      p.execute({ type: 'AcceptOffer', offerId: 'offer-1' }),
    );
    expectRefused(property, 'offer-not-pending', (p) =>
      p.execute({ type: 'AcceptOffer', offerId: 'offer-2' }),
    );
  });

  it('refuses offer-already-accepted for a second offer and for the same one again', () => {
    expectRefused(withAcceptedOffer(), 'offer-already-accepted', (p) =>
      p.execute({ type: 'AcceptOffer', offerId: 'offer-2' }),
    );
    expectRefused(withAcceptedOffer(), 'offer-already-accepted', (p) =>
      p.execute({ type: 'AcceptOffer', offerId: 'offer-1' }),
    );
  });

  it('allows another offer once the accepted one is withdrawn', () => {
    const property = withAcceptedOffer();
    property.execute({ type: 'WithdrawOffer', offerId: 'offer-1' });
    property.execute({ type: 'AcceptOffer', offerId: 'offer-2' });
    expect(propertyView(property).acceptedOfferId).toBe('offer-2');
  });

  it.each<[PropertyRule, () => Property]>([
    ['property-reserved', reserved],
    ['offer-on-sold-property', sold],
  ])('refuses %s', (rule, build) => {
    expectRefused(build(), rule, (p) => p.execute({ type: 'AcceptOffer', offerId: 'offer-2' }));
  });

  it('refuses listing-withdrawn', () => {
    const property = withOffers();
    property.execute({ type: 'WithdrawListing', reason: null });
    expectRefused(property, 'listing-withdrawn', (p) =>
      p.execute({ type: 'AcceptOffer', offerId: 'offer-1' }),
    );
  });
});

describe('rejectOffer', () => {
  it('raises OfferRejected with the trimmed reason, or null', () => {
    const property = withOffers();
    property.execute({ type: 'RejectOffer', offerId: 'offer-1', reason: ' Too low ' });
    property.execute({ type: 'RejectOffer', offerId: 'offer-2', reason: '' });
    expect(raised(property)).toEqual([
      { type: 'OfferRejected', data: { offerId: 'offer-1', reason: 'Too low' } },
      { type: 'OfferRejected', data: { offerId: 'offer-2', reason: null } },
    ]);
    expect(propertyView(property).offers.map((offer) => offer.status)).toEqual(['rejected', 'rejected']);
  });

  it('lets the seller back out of an accepted offer before a reservation', () => {
    const property = withAcceptedOffer();
    property.execute({ type: 'RejectOffer', offerId: 'offer-1', reason: null });
    expect(propertyView(property)).toMatchObject({ acceptedOfferId: null, status: 'listed' });
  });

  it('closes a pending backup offer while reserved or after the sale', () => {
    for (const property of [reserved(), sold()]) {
      property.execute({ type: 'RejectOffer', offerId: 'offer-2', reason: 'Sold to another buyer' });
      expect(propertyView(property).offers[1]?.status).toBe('rejected');
    }
  });

  it('refuses offer-not-found and offer-not-pending', () => {
    expectRefused(withOffers(), 'offer-not-found', (p) =>
      p.execute({ type: 'RejectOffer', offerId: 'offer-9', reason: null }),
    );
    const property = withOffers();
    property.execute({ type: 'WithdrawOffer', offerId: 'offer-1' });
    expectRefused(property, 'offer-not-pending', (p) =>
      p.execute({ type: 'RejectOffer', offerId: 'offer-1', reason: null }),
    );
  });

  it('refuses property-reserved for the reserved offer and offer-on-sold-property for the sold one', () => {
    expectRefused(reserved(), 'property-reserved', (p) =>
      p.execute({ type: 'RejectOffer', offerId: 'offer-1', reason: null }),
    );
    expectRefused(sold(), 'offer-on-sold-property', (p) =>
      p.execute({ type: 'RejectOffer', offerId: 'offer-1', reason: null }),
    );
  });
});

describe('withdrawOffer', () => {
  it('withdraws a pending offer', () => {
    const property = withOffers();
    property.execute({ type: 'WithdrawOffer', offerId: 'offer-2' });
    expect(raised(property)).toEqual([{ type: 'OfferWithdrawn', data: { offerId: 'offer-2' } }]);
    expect(propertyView(property).offers[1]?.status).toBe('withdrawn');
  });

  it('withdraws an accepted offer before a reservation, freeing the property for another', () => {
    const property = withAcceptedOffer();
    property.execute({ type: 'WithdrawOffer', offerId: 'offer-1' });
    expect(propertyView(property)).toMatchObject({ acceptedOfferId: null });
    expect(propertyView(property).offers[0]?.status).toBe('withdrawn');
  });

  it('lets a backup buyer withdraw while reserved', () => {
    const property = reserved();
    property.execute({ type: 'WithdrawOffer', offerId: 'offer-2' });
    expect(propertyView(property).offers[1]?.status).toBe('withdrawn');
  });

  it('refuses property-reserved for the offer a transaction holds', () => {
    expectRefused(reserved(), 'property-reserved', (p) =>
      p.execute({ type: 'WithdrawOffer', offerId: 'offer-1' }),
    );
  });

  it('refuses offer-on-sold-property for the offer that bought the property', () => {
    expectRefused(sold(), 'offer-on-sold-property', (p) =>
      p.execute({ type: 'WithdrawOffer', offerId: 'offer-1' }),
    );
  });

  it('refuses offer-not-found and offer-not-pending', () => {
    expectRefused(withOffers(), 'offer-not-found', (p) =>
      p.execute({ type: 'WithdrawOffer', offerId: 'offer-9' }),
    );
    const property = withOffers();
    property.execute({ type: 'RejectOffer', offerId: 'offer-1', reason: null });
    expectRefused(property, 'offer-not-pending', (p) =>
      p.execute({ type: 'WithdrawOffer', offerId: 'offer-1' }),
    );
  });
});

describe('reserve', () => {
  it('raises PropertyReserved for the accepted offer and its buyer', () => {
    const property = withAcceptedOffer();
    property.execute({ type: 'Reserve', transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' });
    expect(raised(property)).toEqual([
      { type: 'PropertyReserved', data: { transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' } },
    ]);
    expect(propertyView(property)).toMatchObject({
      status: 'reserved',
      reservation: { transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' },
    });
  });

  it('refuses offer-not-accepted for a pending offer, or the accepted offer with another buyer', () => {
    expectRefused(withAcceptedOffer(), 'offer-not-accepted', (p) =>
      p.execute({ type: 'Reserve', transactionId: 'tx-1', offerId: 'offer-2', buyerId: 'buyer-2' }),
    );
    expectRefused(withAcceptedOffer(), 'offer-not-accepted', (p) =>
      p.execute({ type: 'Reserve', transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-2' }),
    );
    expectRefused(withOffers(), 'offer-not-accepted', (p) =>
      p.execute({ type: 'Reserve', transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' }),
    );
  });

  it('refuses offer-not-found', () => {
    expectRefused(withAcceptedOffer(), 'offer-not-found', (p) =>
      p.execute({ type: 'Reserve', transactionId: 'tx-1', offerId: 'offer-9', buyerId: 'buyer-1' }),
    );
  });

  it.each<[string, () => Property]>([
    ['reserved', reserved],
    ['sold', sold],
    ['withdrawn', withdrawn],
  ])('refuses property-not-listed while %s', (_status, build) => {
    expectRefused(build(), 'property-not-listed', (p) =>
      p.execute({ type: 'Reserve', transactionId: 'tx-2', offerId: 'offer-1', buyerId: 'buyer-1' }),
    );
  });

  it('refuses an empty transaction id', () => {
    expectRefused(withAcceptedOffer(), 'invalid-id', (p) =>
      p.execute({ type: 'Reserve', transactionId: '', offerId: 'offer-1', buyerId: 'buyer-1' }),
    );
  });
});

describe('releaseReservation', () => {
  it('puts the property back on the market, keeping the offer accepted', () => {
    const property = reserved();
    property.execute({ type: 'ReleaseReservation', transactionId: 'tx-1', reason: 'Financing fell through' });
    expect(raised(property)).toEqual([
      { type: 'ReservationReleased', data: { transactionId: 'tx-1', reason: 'Financing fell through' } },
    ]);
    expect(propertyView(property)).toMatchObject({
      status: 'listed',
      reservation: null,
      acceptedOfferId: 'offer-1',
    });
  });

  it('lets the same offer be reserved again, or be closed so another can be accepted', () => {
    const property = reserved();
    property.execute({ type: 'ReleaseReservation', transactionId: 'tx-1', reason: 'Survey delayed' });
    property.execute({ type: 'Reserve', transactionId: 'tx-2', offerId: 'offer-1', buyerId: 'buyer-1' });
    property.execute({ type: 'ReleaseReservation', transactionId: 'tx-2', reason: 'Buyer walked away' });
    property.execute({ type: 'WithdrawOffer', offerId: 'offer-1' });
    property.execute({ type: 'AcceptOffer', offerId: 'offer-2' });
    property.execute({ type: 'Reserve', transactionId: 'tx-3', offerId: 'offer-2', buyerId: 'buyer-2' });
    expect(propertyView(property).reservation).toEqual({
      transactionId: 'tx-3',
      offerId: 'offer-2',
      buyerId: 'buyer-2',
    });
  });

  it('refuses not-reserved', () => {
    expectRefused(withAcceptedOffer(), 'not-reserved', (p) =>
      p.execute({ type: 'ReleaseReservation', transactionId: 'tx-1', reason: 'reason' }),
    );
    expectRefused(sold(), 'not-reserved', (p) =>
      p.execute({ type: 'ReleaseReservation', transactionId: 'tx-1', reason: 'reason' }),
    );
  });

  it('refuses reservation-mismatch', () => {
    expectRefused(reserved(), 'reservation-mismatch', (p) =>
      p.execute({ type: 'ReleaseReservation', transactionId: 'tx-2', reason: 'reason' }),
    );
  });

  it('refuses reason-required', () => {
    expectRefused(reserved(), 'reason-required', (p) =>
      p.execute({ type: 'ReleaseReservation', transactionId: 'tx-1', reason: '  ' }),
    );
  });
});

describe('markSold', () => {
  it('sells at the accepted offer’s amount', () => {
    const property = reserved();
    property.execute({ type: 'MarkSold', transactionId: 'tx-1' });
    expect(raised(property)).toEqual([
      {
        type: 'PropertySold',
        data: { transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1', salePrice: eur(440_000) },
      },
    ]);
    expect(propertyView(property)).toMatchObject({
      status: 'sold',
      salePrice: eur(440_000),
      price: eur(450_000),
      reservation: { transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' },
    });
  });

  it('refuses not-reserved, also when already sold', () => {
    expectRefused(withAcceptedOffer(), 'not-reserved', (p) =>
      p.execute({ type: 'MarkSold', transactionId: 'tx-1' }),
    );
    expectRefused(sold(), 'not-reserved', (p) => p.execute({ type: 'MarkSold', transactionId: 'tx-1' }));
  });

  it('refuses reservation-mismatch', () => {
    expectRefused(reserved(), 'reservation-mismatch', (p) =>
      p.execute({ type: 'MarkSold', transactionId: 'tx-2' }),
    );
  });
});

describe('withdrawListing and relist', () => {
  it('withdraws a listed property', () => {
    const property = listed();
    property.execute({ type: 'WithdrawListing', reason: '  ' });
    expect(raised(property)).toEqual([{ type: 'ListingWithdrawn', data: { reason: null } }]);
    expect(statusOf(property)).toBe('withdrawn');
  });

  it.each<[string, () => Property]>([
    ['reserved', reserved],
    ['sold', sold],
    ['withdrawn', withdrawn],
  ])('refuses property-not-listed while %s', (_status, build) => {
    expectRefused(build(), 'property-not-listed', (p) =>
      p.execute({ type: 'WithdrawListing', reason: 'reason' }),
    );
  });

  it('relists at the old price', () => {
    const property = withdrawn();
    property.execute({ type: 'Relist', price: null });
    expect(raised(property)).toEqual([{ type: 'PropertyRelisted', data: { price: null } }]);
    expect(propertyView(property)).toMatchObject({
      status: 'listed',
      price: eur(450_000),
      priceChangeCount: 0,
    });
  });

  it('relists at a new price, counting it as a price change', () => {
    const property = withdrawn();
    property.execute({ type: 'Relist', price: eur(399_000) });
    expect(raised(property)).toEqual([{ type: 'PropertyRelisted', data: { price: eur(399_000) } }]);
    expect(propertyView(property)).toMatchObject({
      status: 'listed',
      price: eur(399_000),
      priceChangeCount: 1,
    });
  });

  it('records a relist at the current price as keeping the price', () => {
    const property = withdrawn();
    property.execute({ type: 'Relist', price: eur(450_000) });
    expect(raised(property)).toEqual([{ type: 'PropertyRelisted', data: { price: null } }]);
  });

  it.each<[string, () => Property]>([
    ['listed', listed],
    ['reserved', reserved],
    ['sold', sold],
  ])('refuses property-not-withdrawn while %s', (_status, build) => {
    expectRefused(build(), 'property-not-withdrawn', (p) => p.execute({ type: 'Relist', price: null }));
  });

  it('refuses an invalid relisting price', () => {
    expectRefused(withdrawn(), 'price-not-positive', (p) => p.execute({ type: 'Relist', price: eur(0) }));
    expectRefused(withdrawn(), 'currency-mismatch', (p) => p.execute({ type: 'Relist', price: usd(1) }));
  });

  it('keeps offers across a withdrawal and takes new ones after relisting', () => {
    const property = withAcceptedOffer();
    property.execute({ type: 'WithdrawListing', reason: null });
    property.execute({ type: 'Relist', price: null });
    property.execute({ type: 'ReceiveOffer', offerId: 'offer-3', buyerId: 'buyer-3', amount: eur(1) });
    property.execute({ type: 'Reserve', transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' });
    expect(statusOf(property)).toBe('reserved');
  });
});

describe('rehydration', () => {
  function fullHistory(): Property {
    const property = listedProperty('property-1', listing, listedAt);
    property.execute({ type: 'UpdateDetails', changes: { bedrooms: 4, description: 'Renovated in 2023' } });
    property.execute({ type: 'ChangePrice', price: eur(430_000) });
    property.execute({ type: 'WithdrawListing', reason: 'Renovating' });
    property.execute({
      type: 'UpdateDetails',
      changes: { address: { ...address, postalCode: '1015 CK' }, description: '' },
    });
    property.execute({ type: 'Relist', price: eur(445_000) });
    property.execute({ type: 'ReceiveOffer', offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(420_000) });
    property.execute({ type: 'ReceiveOffer', offerId: 'offer-2', buyerId: 'buyer-2', amount: eur(440_000) });
    property.execute({ type: 'ReceiveOffer', offerId: 'offer-3', buyerId: 'buyer-3', amount: eur(400_000) });
    property.execute({ type: 'RejectOffer', offerId: 'offer-3', reason: 'Too low' });
    property.execute({ type: 'AcceptOffer', offerId: 'offer-1' });
    property.execute({ type: 'WithdrawOffer', offerId: 'offer-1' });
    property.execute({ type: 'AcceptOffer', offerId: 'offer-2' });
    property.execute({ type: 'Reserve', transactionId: 'tx-1', offerId: 'offer-2', buyerId: 'buyer-2' });
    property.execute({ type: 'ReleaseReservation', transactionId: 'tx-1', reason: 'Mortgage declined' });
    property.execute({ type: 'Reserve', transactionId: 'tx-2', offerId: 'offer-2', buyerId: 'buyer-2' });
    property.execute({ type: 'MarkSold', transactionId: 'tx-2' });
    return property;
  }

  it('rebuilds the same state from the events the commands raised', () => {
    const original = fullHistory();
    const history = original.uncommittedEvents;
    expect(history).toHaveLength(17);

    const rebuilt = folded('property-1', history);
    expect(propertyView(rebuilt)).toEqual(propertyView(original));
    expect(rebuilt.version).toBe(17);
    expect(rebuilt.persistedVersion).toBe(17);
    expect(rebuilt.uncommittedEvents).toEqual([]);
  });

  it('rebuilds the same state from events that went through JSON (the jsonb column)', () => {
    const original = fullHistory();
    const stored = JSON.parse(JSON.stringify(original.uncommittedEvents)) as PropertyEvent[];
    expect(stored).toEqual(original.uncommittedEvents);
    expect(propertyView(folded('property-1', stored))).toEqual(propertyView(original));
  });

  it('gives the expected final view', () => {
    expect(propertyView(fullHistory())).toEqual({
      id: 'property-1',
      version: 17,
      status: 'sold',
      address: { ...address, postalCode: '1015 CK' },
      price: eur(445_000),
      bedrooms: 4,
      bathrooms: 2,
      areaSqm: 120.5,
      propertyType: 'apartment',
      description: null,
      listedAt: '2024-03-01T10:00:00.000Z',
      ownerId: 'seller-1',
      listingAgent: null,
      offers: [
        { offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(420_000), status: 'withdrawn' },
        { offerId: 'offer-2', buyerId: 'buyer-2', amount: eur(440_000), status: 'accepted' },
        { offerId: 'offer-3', buyerId: 'buyer-3', amount: eur(400_000), status: 'rejected' },
      ],
      acceptedOfferId: 'offer-2',
      reservation: { transactionId: 'tx-2', offerId: 'offer-2', buyerId: 'buyer-2' },
      salePrice: eur(440_000),
      priceChangeCount: 2,
    });
  });

  it('continues from a loaded state, raising only new events', () => {
    const loaded = folded('property-1', listedProperty('property-1', listing, listedAt).uncommittedEvents);
    loaded.execute({ type: 'ChangePrice', price: eur(1) });
    expect(loaded.persistedVersion).toBe(1);
    expect(loaded.version).toBe(2);
    expect(loaded.uncommittedEvents.map((event) => event.type)).toEqual(['PriceChanged']);
  });

  it('never puts undefined into an event', () => {
    const containsUndefined = (value: unknown): boolean =>
      value === undefined ||
      (typeof value === 'object' && value !== null && Object.values(value).some(containsUndefined));
    expect(fullHistory().uncommittedEvents.filter(containsUndefined)).toEqual([]);
  });

  it('never throws in apply, even for a history that commands could not produce', () => {
    const odd = [
      { type: 'OfferAccepted', data: { offerId: 'x', buyerId: 'y', amount: eur(1) } },
      ...listedProperty('property-1', listing, listedAt).uncommittedEvents,
      { type: 'OfferAccepted', data: { offerId: 'unknown', buyerId: 'y', amount: eur(1) } },
      { type: 'OfferWithdrawn', data: { offerId: 'also-unknown' } },
      {
        type: 'PropertySold',
        data: { transactionId: 't', offerId: 'unknown', buyerId: 'y', salePrice: eur(1) },
      },
      { type: 'SomethingFromTheFuture', data: {} } as unknown as PropertyEvent,
    ] satisfies PropertyEvent[];
    const property = blankProperty('property-1');
    expect(() => property.loadFromHistory(odd)).not.toThrow();
    expect(propertyView(property)).toMatchObject({ status: 'sold', version: 6, acceptedOfferId: 'unknown' });
  });
});

describe('toView', () => {
  it('returns a detached copy', () => {
    const property = withAcceptedOffer();
    const view = propertyView(property);
    (view.price as { amountMinor: number }).amountMinor = 1;
    (view.address as { city: string }).city = 'Elsewhere';
    (view.offers[0]?.amount as { amountMinor: number }).amountMinor = 1;
    (view.offers as unknown[]).length = 0;
    expect(propertyView(property)).toMatchObject({
      price: eur(450_000),
      address,
      offers: [{ amount: eur(440_000) }, {}],
    });
  });

  it('is plain data', () => {
    const view = propertyView(sold());
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});

describe('rule names', () => {
  it('are unique kebab-case names', () => {
    expect(new Set(propertyRules).size).toBe(propertyRules.length);
    for (const rule of propertyRules) expect(rule).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
