import { moneyFromMajor } from '../../shared/domain/money';
import type { PropertyEvent } from '../contract/property-events';
import { Property } from './property';
import { propertySnapshots } from './property-snapshot';

const eur = (major: number) => moneyFromMajor(major, 'EUR');
const sealed = (field: string) => ({ keyId: 'key-1', iv: 'AAECAwQFBgcICQoL', ciphertext: `sealed-${field}` });

/** Histories that reach every part of the state: offers in each status, reservations, a sale, an agent card. */
function histories(): Array<[string, Property]> {
  const listed = () =>
    Property.list(
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
        price: eur(450_000),
        bedrooms: 3,
        bathrooms: 2,
        areaSqm: 120.5,
        propertyType: 'apartment',
        description: 'Canal-side apartment',
        ownerId: 'agent-1',
        listingAgent: {
          agentId: 'agent-1',
          name: sealed('name'),
          email: sealed('email'),
          phone: null,
          agency: 'Grachten',
        },
      },
      new Date('2024-03-01T10:00:00.000Z'),
    );
  const withOffers = () => {
    const property = listed();
    property.receiveOffer('offer-1', 'buyer-1', eur(440_000));
    property.receiveOffer('offer-2', 'buyer-2', eur(430_000));
    property.receiveOffer('offer-3', 'buyer-3', eur(420_000));
    property.rejectOffer('offer-2', 'too low');
    property.withdrawOffer('offer-3');
    property.acceptOffer('offer-1');
    return property;
  };
  const reserved = () => {
    const property = withOffers();
    property.reserve('tx-1', 'offer-1', 'buyer-1');
    return property;
  };
  const sold = reserved();
  sold.markSold('tx-1');
  const relisted = listed();
  relisted.changePrice(eur(445_000));
  relisted.updateDetails({ description: '' });
  relisted.withdrawListing('owner moved back in');
  relisted.relist(eur(460_000));
  return [
    ['listed', listed()],
    ['offers in every status', withOffers()],
    ['reserved', reserved()],
    ['sold', sold],
    ['withdrawn and relisted', relisted],
  ];
}

/** What the repository does: JSON text in the row, parsed and checked against the format on the way back. */
function throughSnapshot(property: Property): Property {
  const text = JSON.stringify(propertySnapshots.take(property));
  const state = propertySnapshots.schema.parse(JSON.parse(text));
  return propertySnapshots.restore(property.id, property.version, state);
}

describe('property snapshots', () => {
  it.each(histories())('%s: restoring equals folding every event', (_name, property) => {
    const restored = throughSnapshot(property);
    expect(restored.version).toBe(property.version);
    expect(restored.uncommittedEvents).toEqual([]);
    expect(restored.toView()).toEqual(property.toView());
  });

  it.each(histories())(
    '%s: the restored aggregate decides later commands as the folded one does',
    (_name, property) => {
      const folded = Property.fromHistory(property.id, property.uncommittedEvents as PropertyEvent[]);
      const restored = throughSnapshot(property);
      const attempt = (p: Property) => {
        try {
          p.receiveOffer('offer-9', 'buyer-9', eur(400_000));
          p.changePrice(eur(401_000));
          return { events: p.uncommittedEvents, version: p.version };
        } catch (error) {
          return { refused: (error as Error).message };
        }
      };
      expect(attempt(restored)).toEqual(attempt(folded));
    },
  );

  it('restored state shares nothing with the snapshot it came from', () => {
    const [, property] = histories()[1]!;
    const state = propertySnapshots.take(property);
    const restored = propertySnapshots.restore(property.id, property.version, state);
    (state.offers[0] as { status: string }).status = 'withdrawn';
    expect(restored.toView().offers[0]?.status).toBe('accepted');
  });

  it('refuses a shape it does not know and a blank aggregate with a history', () => {
    expect(propertySnapshots.schema.safeParse({ status: 'sold' }).success).toBe(false);
    const [, property] = histories()[0]!;
    const state = propertySnapshots.take(property);
    expect(() => propertySnapshots.restore('property-1', 0, state)).toThrow(/not a version/);
  });
});
