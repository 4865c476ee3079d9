import { maxAmountMinor, moneyFromMajor } from '../../shared/domain/money';
import type { EncryptedField } from '../../shared/privacy/encrypted-field';
import { Property } from './property';
import type { PropertyEvent } from '../published/property-events';

const eur = (major: number) => moneyFromMajor(major, 'EUR');

/** An encrypted field's envelope as it travels (the values are placeholders, not real ciphertext). */
const sealed = (field: string): EncryptedField => ({
  keyId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  iv: 'AAECAwQFBgcICQoL',
  ciphertext: Buffer.from(`sealed ${field}`).toString('base64url'),
});

/**
 * Events as the aggregate raises them, so the test encodes exactly what the service will;
 * nullable fields appear both set and null.
 */
export function representativeEvents(): PropertyEvent[] {
  const property = Property.list(
    'property-1',
    {
      address: {
        street: 'Keizersgracht 123',
        city: 'Amsterdam',
        postalCode: '1015 CJ',
        region: 'Noord-Holland',
        country: 'NL',
        lat: 52.3731,
        lon: 4.8839,
      },
      price: eur(1_250_000.99),
      bedrooms: 3,
      bathrooms: 2,
      areaSqm: 120.5,
      propertyType: 'apartment',
      description: 'Canal-side apartment — “grachtenpand” with garden',
      ownerId: 'agent-subject-1',
      listingAgent: {
        agentId: 'agent-subject-1',
        name: sealed('name'),
        email: sealed('email'),
        phone: null,
        agency: 'Grachten Makelaars',
      },
    },
    new Date('2024-03-01T10:00:00.000Z'),
  );
  // Extremes: empty optional address parts, edge coordinates, the largest amount, no description.
  const minimal = Property.list(
    'property-2',
    {
      address: {
        street: 'Rue 1',
        city: 'Dubai',
        postalCode: '',
        region: '',
        country: 'AE',
        lat: -90,
        lon: 180,
      },
      price: { amountMinor: maxAmountMinor, currency: 'AED' },
      bedrooms: 0,
      bathrooms: 0,
      areaSqm: 0.01,
      propertyType: 'land',
      ownerId: 'seller-subject-2',
    },
    new Date('2024-03-02T00:00:00.000Z'),
  );
  property.updateDetails({ bedrooms: 4 });
  property.updateDetails({
    address: {
      street: 'Herengracht 1',
      city: 'Amsterdam',
      postalCode: '1015 BZ',
      region: 'NH',
      country: 'NL',
      lat: 52.38,
      lon: 4.89,
    },
    bathrooms: 3,
    areaSqm: 130.25,
    propertyType: 'condo',
    description: '',
  });
  property.changePrice(eur(1_199_000));
  property.withdrawListing(null);
  property.relist(null);
  property.withdrawListing('Renovating');
  property.relist(eur(1_150_000));
  property.receiveOffer('offer-1', 'buyer-1', eur(1_100_000));
  property.receiveOffer('offer-2', 'buyer-2', eur(1_120_000));
  property.receiveOffer('offer-3', 'buyer-3', eur(1_000_000));
  property.rejectOffer('offer-3', 'Too low');
  property.acceptOffer('offer-1');
  property.rejectOffer('offer-1', null);
  property.acceptOffer('offer-2');
  property.reserve('tx-1', 'offer-2', 'buyer-2');
  property.releaseReservation('tx-1', 'Mortgage declined');
  property.reserve('tx-2', 'offer-2', 'buyer-2');
  property.markSold('tx-2');
  minimal.receiveOffer('offer-1', 'buyer-1', { amountMinor: 1, currency: 'AED' });
  minimal.withdrawOffer('offer-1');
  return [...property.uncommittedEvents, ...minimal.uncommittedEvents];
}
