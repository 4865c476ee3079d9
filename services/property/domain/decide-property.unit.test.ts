import { DeciderSpecification } from '../../../test/support/decider-specification';
import { moneyFromMajor } from '../../shared/domain/money';
import type { PropertyEvent } from '../published/property-events';
import { keizersgracht } from './representative-events';
import { listedProperty, propertyDecider, type ListPropertyInput } from './property';

// The property's life as given/when/then over its pure functions; property.unit.test.ts
// covers each rule's edge cases through the aggregate.
const eur = (major: number) => moneyFromMajor(major, 'EUR');
const [listed] = listedProperty(
  'property-1',
  {
    address: keizersgracht,
    price: eur(450_000),
    bedrooms: 3,
    bathrooms: 2,
    areaSqm: 120,
    propertyType: 'apartment',
    ownerId: 'seller-1',
  },
  new Date('2024-03-01T10:00:00.000Z'),
).uncommittedEvents as [PropertyEvent];
const offer: PropertyEvent = {
  type: 'OfferReceived',
  data: { offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(440_000) },
};
const accepted: PropertyEvent = {
  type: 'OfferAccepted',
  data: { offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(440_000) },
};
const reserved: PropertyEvent = {
  type: 'PropertyReserved',
  data: { transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' },
};

const spec = DeciderSpecification.for(propertyDecider, 'property-1');

describe('property decider', () => {
  it('lists a property that has no events, and refuses to list it twice', () => {
    const { events } = spec
      .given([])
      .when({ type: 'ListProperty', input: listedInput(), now: new Date(0) })
      .decided();
    expect(events.map((e) => e.type)).toEqual(['PropertyListed']);
    spec
      .given([listed])
      .when({ type: 'ListProperty', input: listedInput(), now: new Date(0) })
      .thenRefuses('property-already-listed');
  });

  it('changes the price of a listed property, and says from what', () => {
    spec
      .given([listed])
      .when({ type: 'ChangePrice', price: eur(430_000) })
      .then([{ type: 'PriceChanged', data: { previousPrice: eur(450_000), newPrice: eur(430_000) } }]);
  });

  it('accepts a pending offer at its amount', () => {
    spec.given([listed, offer]).when({ type: 'AcceptOffer', offerId: 'offer-1' }).then([accepted]);
  });

  it('reserves only for the accepted offer’s buyer', () => {
    const given = spec.given([listed, offer, accepted]);
    given
      .when({ type: 'Reserve', transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1' })
      .then([reserved]);
    given
      .when({ type: 'Reserve', transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-2' })
      .thenRefuses('offer-not-accepted', /another buyer/);
  });

  it('takes no offers while reserved, and sells at the accepted amount', () => {
    const given = spec.given([listed, offer, accepted, reserved]);
    given
      .when({ type: 'ReceiveOffer', offerId: 'offer-2', buyerId: 'buyer-2', amount: eur(500_000) })
      .thenRefuses('property-reserved');
    given.when({ type: 'MarkSold', transactionId: 'tx-1' }).then([
      {
        type: 'PropertySold',
        data: { transactionId: 'tx-1', offerId: 'offer-1', buyerId: 'buyer-1', salePrice: eur(440_000) },
      },
    ]);
  });

  it('keeps the accepted offer when a reservation is released, so a new purchase can start on it', () => {
    const released: PropertyEvent = {
      type: 'ReservationReleased',
      data: { transactionId: 'tx-1', reason: 'declined' },
    };
    const { state } = spec.given([listed, offer, accepted, reserved, released]);
    expect(state.listing).toMatchObject({ status: 'listed', acceptedOfferId: 'offer-1', reservation: null });
  });

  it('refuses every command on a property that was never listed', () => {
    spec.given([]).when({ type: 'WithdrawListing', reason: null }).thenRefuses('property-not-found');
  });

  it('evolves without validating: an event for an unknown offer changes nothing but what it can', () => {
    const { state } = spec.given([listed, { type: 'OfferWithdrawn', data: { offerId: 'unknown' } }]);
    expect(state.listing?.offers).toEqual([]);
  });
});

function listedInput(): ListPropertyInput {
  if (listed.type !== 'PropertyListed') throw new Error('the first event is a listing');
  const { listedAt: _listedAt, ownerId, ...input } = listed.data;
  return { ...input, ownerId: ownerId ?? 'seller-1' };
}
