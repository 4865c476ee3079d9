import { maxAmountMinor, moneyFromMajor } from '../../shared/domain/money';
import type { EncryptedField } from '../../shared/privacy/encrypted-field';
import { listedProperty } from './property';
import type { Address } from './address';
import type { PropertyEvent } from '../published/property-events';

const eur = (major: number) => moneyFromMajor(major, 'EUR');

/** The address the domain's tests and representative events list at. */
export const keizersgracht: Address = {
  street: 'Keizersgracht 123',
  city: 'Amsterdam',
  postalCode: '1015 CJ',
  region: 'Noord-Holland',
  country: 'NL',
  lat: 52.3731,
  lon: 4.8839,
};

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
  return [...aWholeLife(), ...extremes()];
}

/** A listing by an agent through every command: details, price, withdrawal, offers, a released reservation, a sale. */
function aWholeLife(): readonly PropertyEvent[] {
  const property = listedProperty(
    'property-1',
    {
      address: keizersgracht,
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
  property.execute({ type: 'UpdateDetails', changes: { bedrooms: 4 } });
  property.execute({
    type: 'UpdateDetails',
    changes: {
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
    },
  });
  property.execute({ type: 'ChangePrice', price: eur(1_199_000) });
  property.execute({ type: 'WithdrawListing', reason: null });
  property.execute({ type: 'Relist', price: null });
  property.execute({ type: 'WithdrawListing', reason: 'Renovating' });
  property.execute({ type: 'Relist', price: eur(1_150_000) });
  property.execute({ type: 'ReceiveOffer', offerId: 'offer-1', buyerId: 'buyer-1', amount: eur(1_100_000) });
  property.execute({ type: 'ReceiveOffer', offerId: 'offer-2', buyerId: 'buyer-2', amount: eur(1_120_000) });
  property.execute({ type: 'ReceiveOffer', offerId: 'offer-3', buyerId: 'buyer-3', amount: eur(1_000_000) });
  property.execute({ type: 'RejectOffer', offerId: 'offer-3', reason: 'Too low' });
  property.execute({ type: 'AcceptOffer', offerId: 'offer-1' });
  property.execute({ type: 'RejectOffer', offerId: 'offer-1', reason: null });
  property.execute({ type: 'AcceptOffer', offerId: 'offer-2' });
  property.execute({ type: 'Reserve', transactionId: 'tx-1', offerId: 'offer-2', buyerId: 'buyer-2' });
  property.execute({ type: 'ReleaseReservation', transactionId: 'tx-1', reason: 'Mortgage declined' });
  property.execute({ type: 'Reserve', transactionId: 'tx-2', offerId: 'offer-2', buyerId: 'buyer-2' });
  property.execute({ type: 'MarkSold', transactionId: 'tx-2' });
  return property.uncommittedEvents;
}

function extremes(): readonly PropertyEvent[] {
  // Extremes: empty optional address parts, edge coordinates, the largest amount, no description.
  const minimal = listedProperty(
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
  minimal.execute({
    type: 'ReceiveOffer',
    offerId: 'offer-1',
    buyerId: 'buyer-1',
    amount: { amountMinor: 1, currency: 'AED' },
  });
  minimal.execute({ type: 'WithdrawOffer', offerId: 'offer-1' });
  return minimal.uncommittedEvents;
}
