import { moneyFromMajor } from '../../shared/domain/money';
import type { PropertyEvent } from '../published/property-events';
import { representativeEvents } from './representative-events';
import { blankProperty, propertyView, type Property } from './property';
import { propertySnapshots } from './property-snapshot';
import { messageOf } from '../../shared/errors/message-of';

/**
 * Every prefix of the representative histories (an agent's listing through details,
 * price changes, withdrawal, relisting, offers in every status, a released reservation
 * and a sale; and a minimal listing): a snapshot may be taken after any event.
 */
function prefixes(): Array<[string, Property]> {
  const events = representativeEvents();
  const second = events.findIndex((event, i) => i > 0 && event.type === 'PropertyListed');
  const streams: Array<[string, PropertyEvent[]]> = [
    ['property-1', events.slice(0, second)],
    ['property-2', events.slice(second)],
  ];
  return streams.flatMap(([id, history]) =>
    history.map((event, i): [string, Property] => [
      `${id} after ${event.type} (v${i + 1})`,
      folded(id, history.slice(0, i + 1)),
    ]),
  );
}

function folded(id: string, history: readonly PropertyEvent[]): Property {
  const property = blankProperty(id);
  property.loadFromHistory(history);
  return property;
}

/** What the repository does: JSON text in the row, parsed and checked against the format on the way back. */
function throughSnapshot(property: Property): Property {
  const text = JSON.stringify(propertySnapshots.take(property));
  const state = propertySnapshots.schema.parse(JSON.parse(text));
  return propertySnapshots.restore(property.id, property.version, state);
}

/** A few later commands: the events they raise, or why they were refused. */
function later(property: Property) {
  try {
    property.execute({
      type: 'ReceiveOffer',
      offerId: 'offer-9',
      buyerId: 'buyer-9',
      amount: moneyFromMajor(400_000, propertyView(property).price.currency),
    });
    property.execute({
      type: 'ChangePrice',
      price: moneyFromMajor(401_000, propertyView(property).price.currency),
    });
    return { events: property.uncommittedEvents, version: property.version };
  } catch (error) {
    return { refused: messageOf(error) };
  }
}

describe('property snapshots', () => {
  it.each(prefixes())('%s: restoring equals folding every event', (_name, property) => {
    const restored = throughSnapshot(property);
    expect(restored.version).toBe(property.version);
    expect(restored.uncommittedEvents).toEqual([]);
    expect(propertyView(restored)).toEqual(propertyView(property));
  });

  it.each(prefixes())(
    '%s: the restored aggregate decides later commands as the folded one does',
    (_name, property) => {
      expect(later(throughSnapshot(property))).toEqual(later(property));
    },
  );

  it('restored state shares nothing with the snapshot it came from', () => {
    const [, property] = prefixes().find(([name]) => name.includes('OfferReceived'))!;
    const state = propertySnapshots.take(property);
    const restored = propertySnapshots.restore(property.id, property.version, state);
    (state.offers[0] as { status: string }).status = 'withdrawn';
    (state.listingAgent!.name as { ciphertext: string }).ciphertext = 'changed';
    expect(propertyView(restored).offers[0]?.status).toBe('pending');
    expect(propertyView(restored).listingAgent?.name.ciphertext).not.toBe('changed');
  });

  it('refuses a shape it does not know, and a version that is not one', () => {
    expect(propertySnapshots.schema.safeParse({ status: 'sold' }).success).toBe(false);
    const [, property] = prefixes()[0]!;
    expect(() => propertySnapshots.restore('property-1', 0, propertySnapshots.take(property))).toThrow(
      /not a version/,
    );
  });
});
