import { DomainError } from '../../shared/errors/domain-error';
import type { Address } from './address';
import { moneyFromMajor, type Money } from '../../shared/domain/money';
import { Property, type ListPropertyInput } from './property';
import type { PropertyEvent } from '../published/property-events';
import { propertyRules, type PropertyRule } from './property-rules';

const listedAt = new Date('2024-03-01T10:00:00.000Z');
const eur = (major: number): Money => moneyFromMajor(major, 'EUR');
const usd = (major: number): Money => moneyFromMajor(major, 'USD');

const address: Address = {
  street: 'Keizersgracht 123',
  city: 'Amsterdam',
  postalCode: '1015 CJ',
  region: 'Noord-Holland',
  country: 'NL',
  lat: 52.3731,
  lon: 4.8839,
};

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

/** Each builder returns an aggregate with nothing uncommitted, so a test sees only what it raises. */
function committed(property: Property): Property {
  property.markCommitted();
  return property;
}

function listed(input: Partial<ListPropertyInput> = {}): Property {
  return committed(Property.list('property-1', { ...listing, ...input }, listedAt));
}

function withOffers(): Property {
  const property = listed();
  property.receiveOffer('offer-1', 'buyer-1', eur(440_000));
  property.receiveOffer('offer-2', 'buyer-2', eur(430_000));
  return committed(property);
}

function withAcceptedOffer(): Property {
  const property = withOffers();
  property.acceptOffer('offer-1');
  return committed(property);
}

function reserved(): Property {
  const property = withAcceptedOffer();
  property.reserve('tx-1', 'offer-1', 'buyer-1');
  return committed(property);
}

function sold(): Property {
  const property = reserved();
  property.markSold('tx-1');
  return committed(property);
}

function withdrawn(): Property {
  const property = listed();
  property.withdrawListing('Owner moved back in');
  return committed(property);
}

function expectRefused(property: Property, rule: PropertyRule, command: (p: Property) => void): void {
  const version = property.version;
  const pending = property.uncommittedEvents.length;
  const before = property.status === null ? null : property.toView();
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
  if (before !== null) expect(property.toView()).toEqual(before);
}

function raised(property: Property): readonly PropertyEvent[] {
  return property.uncommittedEvents;
}

describe('Property.list', () => {
  it('raises PropertyListed with the validated input and the given time', () => {
    const property = Property.list(
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
    expect(property.status).toBe('listed');
  });

  it('records a missing or blank description as null', () => {
    const { description: _omitted, ...withoutDescription } = listing;
    for (const input of [
      withoutDescription,
      { ...listing, description: '   ' },
      { ...listing, description: null },
    ]) {
      const [event] = raised(Property.list('property-1', input, listedAt));
      expect(event?.type === 'PropertyListed' && event.data.description).toBeNull();
    }
  });

  it('copies its input so later changes by the caller cannot alter the event', () => {
    const price = { amountMinor: 100, currency: 'EUR' };
    const property = Property.list('property-1', { ...listing, price }, listedAt);
    price.amountMinor = 1;
    expect(property.toView().price).toEqual({ amountMinor: 100, currency: 'EUR' });
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
    expect(() => Property.list('property-1', { ...listing, ...change }, listedAt)).toThrow(
      expect.objectContaining({ rule }),
    );
  });

  it('accepts the bounds of the room counts', () => {
    expect(() => Property.list('p', { ...listing, bedrooms: 0, bathrooms: 100 }, listedAt)).not.toThrow();
  });

  it('refuses an empty id and an invalid clock reading', () => {
    expect(() => Property.list(' ', listing, listedAt)).toThrow(
      expect.objectContaining({ rule: 'invalid-id' }),
    );
    expect(() => Property.list('p', listing, new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('commands on a property that was never listed', () => {
  it.each<[string, (p: Property) => void]>([
    ['updateDetails', (p) => p.updateDetails({ bedrooms: 4 })],
    ['changePrice', (p) => p.changePrice(eur(1))],
    ['receiveOffer', (p) => p.receiveOffer('o', 'b', eur(1))],
    ['acceptOffer', (p) => p.acceptOffer('o')],
    ['rejectOffer', (p) => p.rejectOffer('o', null)],
    ['withdrawOffer', (p) => p.withdrawOffer('o')],
    ['reserve', (p) => p.reserve('t', 'o', 'b')],
    ['releaseReservation', (p) => p.releaseReservation('t', 'r')],
    ['markSold', (p) => p.markSold('t')],
    ['withdrawListing', (p) => p.withdrawListing(null)],
    ['relist', (p) => p.relist(null)],
  ])('%s is refused with property-not-found', (_name, command) => {
    expectRefused(Property.empty('ghost'), 'property-not-found', command);
  });

  it('has no status and no view', () => {
    const property = Property.empty('ghost');
    expect(property.status).toBeNull();
    expect(property.version).toBe(0);
    expect(() => property.toView()).toThrow(/no history/);
  });
});

describe('updateDetails', () => {
  it('records only the fields that change', () => {
    const property = listed();
    property.updateDetails({ bedrooms: 4, bathrooms: 2, areaSqm: 130, propertyType: null });
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
    expect(property.toView()).toMatchObject({ bedrooms: 4, bathrooms: 2, areaSqm: 130, version: 2 });
  });

  it('changes address, type and description', () => {
    const property = listed();
    const moved = { ...address, street: 'Herengracht 1', lat: 52.38 };
    property.updateDetails({ address: moved, propertyType: 'condo', description: 'Renovated' });
    expect(raised(property)[0]?.data).toEqual({
      address: moved,
      bedrooms: null,
      bathrooms: null,
      areaSqm: null,
      propertyType: 'condo',
      description: 'Renovated',
    });
    expect(property.toView()).toMatchObject({
      address: moved,
      propertyType: 'condo',
      description: 'Renovated',
    });
  });

  it('removes the description when given a blank one, recording it as an empty string', () => {
    const property = listed();
    property.updateDetails({ description: '  ' });
    expect(raised(property)[0]?.data).toMatchObject({ description: '' });
    expect(property.toView().description).toBeNull();
  });

  it('is allowed while reserved and while withdrawn', () => {
    for (const property of [reserved(), withdrawn()]) {
      property.updateDetails({ bathrooms: 3 });
      expect(property.toView().bathrooms).toBe(3);
    }
  });

  it.each<[string, Parameters<Property['updateDetails']>[0]]>([
    ['nothing', {}],
    ['only nulls', { address: null, bedrooms: null, description: null }],
    ['current values', { bedrooms: 3, bathrooms: 2, areaSqm: 120.5, propertyType: 'apartment' }],
    ['the same address, differently padded', { address: { ...address, city: ' Amsterdam ' } }],
    ['the same description', { description: ' Canal-side apartment ' }],
  ])('refuses no-changes for %s', (_case, changes) => {
    expectRefused(listed(), 'no-changes', (p) => p.updateDetails(changes));
  });

  it('refuses no-changes when removing a description there is none of', () => {
    expectRefused(listed({ description: null }), 'no-changes', (p) => p.updateDetails({ description: '' }));
  });

  it('refuses on a sold property', () => {
    expectRefused(sold(), 'property-sold', (p) => p.updateDetails({ bedrooms: 4 }));
  });

  it.each<[PropertyRule, Parameters<Property['updateDetails']>[0]]>([
    ['invalid-bedrooms', { bedrooms: -1 }],
    ['invalid-bathrooms', { bathrooms: 101 }],
    ['invalid-area', { areaSqm: 0 }],
    ['invalid-address', { address: { ...address, lon: 200 } }],
    ['invalid-property-type', { propertyType: 'igloo' as 'house' }],
  ])('refuses %s even when other fields are valid', (rule, change) => {
    expectRefused(listed(), rule, (p) => p.updateDetails({ bedrooms: 5, ...change }));
  });

  it('validates a value even when it equals nothing new', () => {
    expectRefused(listed(), 'invalid-bedrooms', (p) => p.updateDetails({ bedrooms: 3.5 }));
  });
});

describe('changePrice', () => {
  it('raises PriceChanged with the previous and new price', () => {
    const property = listed();
    property.changePrice(eur(425_000));
    expect(raised(property)).toEqual([
      { type: 'PriceChanged', data: { previousPrice: eur(450_000), newPrice: eur(425_000) } },
    ]);
    expect(property.toView()).toMatchObject({ price: eur(425_000), priceChangeCount: 1 });
  });

  it('refuses price-unchanged', () => {
    expectRefused(listed(), 'price-unchanged', (p) => p.changePrice(eur(450_000)));
  });

  it('refuses currency-mismatch', () => {
    expectRefused(listed(), 'currency-mismatch', (p) => p.changePrice(usd(400_000)));
  });

  it('refuses a zero price and malformed money', () => {
    expectRefused(listed(), 'price-not-positive', (p) => p.changePrice(eur(0)));
    expectRefused(listed(), 'invalid-money', (p) => p.changePrice({ amountMinor: -5, currency: 'EUR' }));
  });

  it.each<[string, () => Property]>([
    ['reserved', reserved],
    ['sold', sold],
    ['withdrawn', withdrawn],
  ])('refuses property-not-listed while %s', (_status, build) => {
    expectRefused(build(), 'property-not-listed', (p) => p.changePrice(eur(400_000)));
  });
});

describe('receiveOffer', () => {
  it('raises OfferReceived and tracks the offer as pending', () => {
    const property = listed();
    property.receiveOffer('offer-1', 'buyer-1', eur(440_000));
    expect(raised(property)).toEqual([
      { type: 'OfferReceived', data: { offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(440_000) } },
    ]);
    expect(property.toView().offers).toEqual([
      { offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(440_000), status: 'pending' },
    ]);
  });

  it('accepts further offers, above the price too, while another is accepted', () => {
    const property = withAcceptedOffer();
    property.receiveOffer('offer-3', 'buyer-3', eur(460_000));
    expect(property.toView().offers.map((offer) => offer.offerId)).toEqual(['offer-1', 'offer-2', 'offer-3']);
  });

  it('refuses offer-on-sold-property', () => {
    expectRefused(sold(), 'offer-on-sold-property', (p) => p.receiveOffer('offer-9', 'buyer-9', eur(1)));
  });

  it('refuses listing-withdrawn', () => {
    expectRefused(withdrawn(), 'listing-withdrawn', (p) => p.receiveOffer('offer-9', 'buyer-9', eur(1)));
  });

  it('refuses property-reserved', () => {
    expectRefused(reserved(), 'property-reserved', (p) => p.receiveOffer('offer-9', 'buyer-9', eur(1)));
  });

  it('refuses a zero amount, malformed money and another currency', () => {
    expectRefused(listed(), 'offer-amount-not-positive', (p) => p.receiveOffer('o', 'b', eur(0)));
    expectRefused(listed(), 'invalid-money', (p) =>
      p.receiveOffer('o', 'b', { amountMinor: 1, currency: 'X' }),
    );
    expectRefused(listed(), 'currency-mismatch', (p) => p.receiveOffer('o', 'b', usd(440_000)));
  });

  it('refuses duplicate-offer, also for an offer that is closed', () => {
    expectRefused(withOffers(), 'duplicate-offer', (p) => p.receiveOffer('offer-1', 'buyer-1', eur(1)));
    const property = withOffers();
    property.withdrawOffer('offer-2');
    expectRefused(property, 'duplicate-offer', (p) => p.receiveOffer('offer-2', 'buyer-2', eur(1)));
  });

  it('refuses empty ids', () => {
    expectRefused(listed(), 'invalid-id', (p) => p.receiveOffer('', 'buyer-1', eur(1)));
    expectRefused(listed(), 'invalid-id', (p) => p.receiveOffer('offer-1', ' ', eur(1)));
  });
});

describe('acceptOffer', () => {
  it('raises OfferAccepted with the offer’s buyer and amount', () => {
    const property = withOffers();
    property.acceptOffer('offer-2');
    expect(raised(property)).toEqual([
      { type: 'OfferAccepted', data: { offerId: 'offer-2', buyerId: 'buyer-2', amount: eur(430_000) } },
    ]);
    const view = property.toView();
    expect(view.acceptedOfferId).toBe('offer-2');
    expect(view.offers.map((offer) => offer.status)).toEqual(['pending', 'accepted']);
    expect(view.status).toBe('listed');
  });

  it('refuses offer-not-found', () => {
    expectRefused(withOffers(), 'offer-not-found', (p) => p.acceptOffer('offer-9'));
  });

  it('refuses offer-not-pending for a rejected or withdrawn offer', () => {
    const property = withOffers();
    property.rejectOffer('offer-1', 'Too low');
    property.withdrawOffer('offer-2');
    expectRefused(property, 'offer-not-pending', (p) => p.acceptOffer('offer-1'));
    expectRefused(property, 'offer-not-pending', (p) => p.acceptOffer('offer-2'));
  });

  it('refuses offer-already-accepted for a second offer and for the same one again', () => {
    expectRefused(withAcceptedOffer(), 'offer-already-accepted', (p) => p.acceptOffer('offer-2'));
    expectRefused(withAcceptedOffer(), 'offer-already-accepted', (p) => p.acceptOffer('offer-1'));
  });

  it('allows another offer once the accepted one is withdrawn', () => {
    const property = withAcceptedOffer();
    property.withdrawOffer('offer-1');
    property.acceptOffer('offer-2');
    expect(property.toView().acceptedOfferId).toBe('offer-2');
  });

  it.each<[PropertyRule, () => Property]>([
    ['property-reserved', reserved],
    ['offer-on-sold-property', sold],
  ])('refuses %s', (rule, build) => {
    expectRefused(build(), rule, (p) => p.acceptOffer('offer-2'));
  });

  it('refuses listing-withdrawn', () => {
    const property = withOffers();
    property.withdrawListing(null);
    expectRefused(property, 'listing-withdrawn', (p) => p.acceptOffer('offer-1'));
  });
});

describe('rejectOffer', () => {
  it('raises OfferRejected with the trimmed reason, or null', () => {
    const property = withOffers();
    property.rejectOffer('offer-1', ' Too low ');
    property.rejectOffer('offer-2', '');
    expect(raised(property)).toEqual([
      { type: 'OfferRejected', data: { offerId: 'offer-1', reason: 'Too low' } },
      { type: 'OfferRejected', data: { offerId: 'offer-2', reason: null } },
    ]);
    expect(property.toView().offers.map((offer) => offer.status)).toEqual(['rejected', 'rejected']);
  });

  it('lets the seller back out of an accepted offer before a reservation', () => {
    const property = withAcceptedOffer();
    property.rejectOffer('offer-1', null);
    expect(property.toView()).toMatchObject({ acceptedOfferId: null, status: 'listed' });
  });

  it('closes a pending backup offer while reserved or after the sale', () => {
    for (const property of [reserved(), sold()]) {
      property.rejectOffer('offer-2', 'Sold to another buyer');
      expect(property.toView().offers[1]?.status).toBe('rejected');
    }
  });

  it('refuses offer-not-found and offer-not-pending', () => {
    expectRefused(withOffers(), 'offer-not-found', (p) => p.rejectOffer('offer-9', null));
    const property = withOffers();
    property.withdrawOffer('offer-1');
    expectRefused(property, 'offer-not-pending', (p) => p.rejectOffer('offer-1', null));
  });

  it('refuses property-reserved for the reserved offer and offer-on-sold-property for the sold one', () => {
    expectRefused(reserved(), 'property-reserved', (p) => p.rejectOffer('offer-1', null));
    expectRefused(sold(), 'offer-on-sold-property', (p) => p.rejectOffer('offer-1', null));
  });
});

describe('withdrawOffer', () => {
  it('withdraws a pending offer', () => {
    const property = withOffers();
    property.withdrawOffer('offer-2');
    expect(raised(property)).toEqual([{ type: 'OfferWithdrawn', data: { offerId: 'offer-2' } }]);
    expect(property.toView().offers[1]?.status).toBe('withdrawn');
  });

  it('withdraws an accepted offer before a reservation, freeing the property for another', () => {
    const property = withAcceptedOffer();
    property.withdrawOffer('offer-1');
    expect(property.toView()).toMatchObject({ acceptedOfferId: null });
    expect(property.toView().offers[0]?.status).toBe('withdrawn');
  });

  it('lets a backup buyer withdraw while reserved', () => {
    const property = reserved();
    property.withdrawOffer('offer-2');
    expect(property.toView().offers[1]?.status).toBe('withdrawn');
  });

  it('refuses property-reserved for the offer a transaction holds', () => {
    expectRefused(reserved(), 'property-reserved', (p) => p.withdrawOffer('offer-1'));
  });

  it('refuses offer-on-sold-property for the offer that bought the property', () => {
    expectRefused(sold(), 'offer-on-sold-property', (p) => p.withdrawOffer('offer-1'));
  });

  it('refuses offer-not-found and offer-not-pending', () => {
    expectRefused(withOffers(), 'offer-not-found', (p) => p.withdrawOffer('offer-9'));
    const property = withOffers();
    property.rejectOffer('offer-1', null);
    expectRefused(property, 'offer-not-pending', (p) => p.withdrawOffer('offer-1'));
  });
});

describe('reserve', () => {
  it('raises PropertyReserved for the accepted offer and its buyer', () => {
    const property = withAcceptedOffer();
    property.reserve('tx-1', 'offer-1', 'buyer-1');
    expect(raised(property)).toEqual([
      { type: 'PropertyReserved', data: { transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' } },
    ]);
    expect(property.toView()).toMatchObject({
      status: 'reserved',
      reservation: { transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' },
    });
  });

  it('refuses offer-not-accepted for a pending offer, or the accepted offer with another buyer', () => {
    expectRefused(withAcceptedOffer(), 'offer-not-accepted', (p) => p.reserve('tx-1', 'offer-2', 'buyer-2'));
    expectRefused(withAcceptedOffer(), 'offer-not-accepted', (p) => p.reserve('tx-1', 'offer-1', 'buyer-2'));
    expectRefused(withOffers(), 'offer-not-accepted', (p) => p.reserve('tx-1', 'offer-1', 'buyer-1'));
  });

  it('refuses offer-not-found', () => {
    expectRefused(withAcceptedOffer(), 'offer-not-found', (p) => p.reserve('tx-1', 'offer-9', 'buyer-1'));
  });

  it.each<[string, () => Property]>([
    ['reserved', reserved],
    ['sold', sold],
    ['withdrawn', withdrawn],
  ])('refuses property-not-listed while %s', (_status, build) => {
    expectRefused(build(), 'property-not-listed', (p) => p.reserve('tx-2', 'offer-1', 'buyer-1'));
  });

  it('refuses an empty transaction id', () => {
    expectRefused(withAcceptedOffer(), 'invalid-id', (p) => p.reserve('', 'offer-1', 'buyer-1'));
  });
});

describe('releaseReservation', () => {
  it('puts the property back on the market, keeping the offer accepted', () => {
    const property = reserved();
    property.releaseReservation('tx-1', 'Financing fell through');
    expect(raised(property)).toEqual([
      { type: 'ReservationReleased', data: { transactionId: 'tx-1', reason: 'Financing fell through' } },
    ]);
    expect(property.toView()).toMatchObject({
      status: 'listed',
      reservation: null,
      acceptedOfferId: 'offer-1',
    });
  });

  it('lets the same offer be reserved again, or be closed so another can be accepted', () => {
    const property = reserved();
    property.releaseReservation('tx-1', 'Survey delayed');
    property.reserve('tx-2', 'offer-1', 'buyer-1');
    property.releaseReservation('tx-2', 'Buyer walked away');
    property.withdrawOffer('offer-1');
    property.acceptOffer('offer-2');
    property.reserve('tx-3', 'offer-2', 'buyer-2');
    expect(property.toView().reservation).toEqual({
      transactionId: 'tx-3',
      offerId: 'offer-2',
      buyerId: 'buyer-2',
    });
  });

  it('refuses not-reserved', () => {
    expectRefused(withAcceptedOffer(), 'not-reserved', (p) => p.releaseReservation('tx-1', 'reason'));
    expectRefused(sold(), 'not-reserved', (p) => p.releaseReservation('tx-1', 'reason'));
  });

  it('refuses reservation-mismatch', () => {
    expectRefused(reserved(), 'reservation-mismatch', (p) => p.releaseReservation('tx-2', 'reason'));
  });

  it('refuses reason-required', () => {
    expectRefused(reserved(), 'reason-required', (p) => p.releaseReservation('tx-1', '  '));
  });
});

describe('markSold', () => {
  it('sells at the accepted offer’s amount', () => {
    const property = reserved();
    property.markSold('tx-1');
    expect(raised(property)).toEqual([
      {
        type: 'PropertySold',
        data: { transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1', salePrice: eur(440_000) },
      },
    ]);
    expect(property.toView()).toMatchObject({
      status: 'sold',
      salePrice: eur(440_000),
      price: eur(450_000),
      reservation: { transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' },
    });
  });

  it('refuses not-reserved, also when already sold', () => {
    expectRefused(withAcceptedOffer(), 'not-reserved', (p) => p.markSold('tx-1'));
    expectRefused(sold(), 'not-reserved', (p) => p.markSold('tx-1'));
  });

  it('refuses reservation-mismatch', () => {
    expectRefused(reserved(), 'reservation-mismatch', (p) => p.markSold('tx-2'));
  });
});

describe('withdrawListing and relist', () => {
  it('withdraws a listed property', () => {
    const property = listed();
    property.withdrawListing('  ');
    expect(raised(property)).toEqual([{ type: 'ListingWithdrawn', data: { reason: null } }]);
    expect(property.status).toBe('withdrawn');
  });

  it.each<[string, () => Property]>([
    ['reserved', reserved],
    ['sold', sold],
    ['withdrawn', withdrawn],
  ])('refuses property-not-listed while %s', (_status, build) => {
    expectRefused(build(), 'property-not-listed', (p) => p.withdrawListing('reason'));
  });

  it('relists at the old price', () => {
    const property = withdrawn();
    property.relist(null);
    expect(raised(property)).toEqual([{ type: 'PropertyRelisted', data: { price: null } }]);
    expect(property.toView()).toMatchObject({ status: 'listed', price: eur(450_000), priceChangeCount: 0 });
  });

  it('relists at a new price, counting it as a price change', () => {
    const property = withdrawn();
    property.relist(eur(399_000));
    expect(raised(property)).toEqual([{ type: 'PropertyRelisted', data: { price: eur(399_000) } }]);
    expect(property.toView()).toMatchObject({ status: 'listed', price: eur(399_000), priceChangeCount: 1 });
  });

  it('records a relist at the current price as keeping the price', () => {
    const property = withdrawn();
    property.relist(eur(450_000));
    expect(raised(property)).toEqual([{ type: 'PropertyRelisted', data: { price: null } }]);
  });

  it.each<[string, () => Property]>([
    ['listed', listed],
    ['reserved', reserved],
    ['sold', sold],
  ])('refuses property-not-withdrawn while %s', (_status, build) => {
    expectRefused(build(), 'property-not-withdrawn', (p) => p.relist(null));
  });

  it('refuses an invalid relisting price', () => {
    expectRefused(withdrawn(), 'price-not-positive', (p) => p.relist(eur(0)));
    expectRefused(withdrawn(), 'currency-mismatch', (p) => p.relist(usd(1)));
  });

  it('keeps offers across a withdrawal and takes new ones after relisting', () => {
    const property = withAcceptedOffer();
    property.withdrawListing(null);
    property.relist(null);
    property.receiveOffer('offer-3', 'buyer-3', eur(1));
    property.reserve('tx-1', 'offer-1', 'buyer-1');
    expect(property.status).toBe('reserved');
  });
});

describe('rehydration', () => {
  function fullHistory(): Property {
    const property = Property.list('property-1', listing, listedAt);
    property.updateDetails({ bedrooms: 4, description: 'Renovated in 2023' });
    property.changePrice(eur(430_000));
    property.withdrawListing('Renovating');
    property.updateDetails({ address: { ...address, postalCode: '1015 CK' }, description: '' });
    property.relist(eur(445_000));
    property.receiveOffer('offer-1', 'buyer-1', eur(420_000));
    property.receiveOffer('offer-2', 'buyer-2', eur(440_000));
    property.receiveOffer('offer-3', 'buyer-3', eur(400_000));
    property.rejectOffer('offer-3', 'Too low');
    property.acceptOffer('offer-1');
    property.withdrawOffer('offer-1');
    property.acceptOffer('offer-2');
    property.reserve('tx-1', 'offer-2', 'buyer-2');
    property.releaseReservation('tx-1', 'Mortgage declined');
    property.reserve('tx-2', 'offer-2', 'buyer-2');
    property.markSold('tx-2');
    return property;
  }

  it('rebuilds the same state from the events the commands raised', () => {
    const original = fullHistory();
    const history = original.uncommittedEvents;
    expect(history).toHaveLength(17);

    const rebuilt = Property.fromHistory('property-1', history);
    expect(rebuilt.toView()).toEqual(original.toView());
    expect(rebuilt.version).toBe(17);
    expect(rebuilt.persistedVersion).toBe(17);
    expect(rebuilt.uncommittedEvents).toEqual([]);
  });

  it('rebuilds the same state from events that went through JSON (the jsonb column)', () => {
    const original = fullHistory();
    const stored = JSON.parse(JSON.stringify(original.uncommittedEvents)) as PropertyEvent[];
    expect(stored).toEqual(original.uncommittedEvents);
    expect(Property.fromHistory('property-1', stored).toView()).toEqual(original.toView());
  });

  it('gives the expected final view', () => {
    expect(fullHistory().toView()).toEqual({
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
    const loaded = Property.fromHistory(
      'property-1',
      Property.list('property-1', listing, listedAt).uncommittedEvents,
    );
    loaded.changePrice(eur(1));
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
      ...Property.list('property-1', listing, listedAt).uncommittedEvents,
      { type: 'OfferAccepted', data: { offerId: 'unknown', buyerId: 'y', amount: eur(1) } },
      { type: 'OfferWithdrawn', data: { offerId: 'also-unknown' } },
      {
        type: 'PropertySold',
        data: { transactionId: 't', offerId: 'unknown', buyerId: 'y', salePrice: eur(1) },
      },
      { type: 'SomethingFromTheFuture', data: {} } as unknown as PropertyEvent,
    ] satisfies PropertyEvent[];
    const property = Property.empty('property-1');
    expect(() => property.loadFromHistory(odd)).not.toThrow();
    expect(property.toView()).toMatchObject({ status: 'sold', version: 6, acceptedOfferId: 'unknown' });
  });
});

describe('toView', () => {
  it('returns a detached copy', () => {
    const property = withAcceptedOffer();
    const view = property.toView();
    (view.price as { amountMinor: number }).amountMinor = 1;
    (view.address as { city: string }).city = 'Elsewhere';
    (view.offers[0]?.amount as { amountMinor: number }).amountMinor = 1;
    (view.offers as unknown[]).length = 0;
    expect(property.toView()).toMatchObject({
      price: eur(450_000),
      address,
      offers: [{ amount: eur(440_000) }, {}],
    });
  });

  it('is plain data', () => {
    const view = sold().toView();
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});

describe('rule names', () => {
  it('are unique kebab-case names', () => {
    expect(new Set(propertyRules).size).toBe(propertyRules.length);
    for (const rule of propertyRules) expect(rule).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
