import type { PropertyEvent } from '../../property/published';
import type { RecordedEvent } from '../../shared/domain/domain-event';
import { SaleRows } from './sale-rows';

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
let position = 0n;

function recorded(
  streamId: string,
  version: number,
  at: string,
  event: PropertyEvent,
): RecordedEvent<PropertyEvent> {
  position += 1n;
  return {
    event,
    eventId: `${streamId}-${version}`,
    streamId,
    streamType: 'property',
    version,
    position,
    schemaVersion: 1,
    occurredAt: new Date(at),
    metadata: {
      eventId: `${streamId}-${version}`,
      correlationId: 'c',
      causationId: null,
      traceparent: null,
      actor: 'seller1',
    },
  };
}

const listed = (streamId: string, at: string) =>
  recorded(streamId, 1, at, {
    type: 'PropertyListed',
    data: {
      address: {
        street: 'Keizersgracht 1',
        city: 'Amsterdam',
        postalCode: '1015 CJ',
        region: 'NH',
        country: 'NL',
        lat: 52.37,
        lon: 4.88,
      },
      price: eur(500_000_00),
      bedrooms: 3,
      bathrooms: 1,
      areaSqm: 100,
      propertyType: 'apartment',
      description: null,
      listedAt: at,
      ownerId: 'seller1',
      listingAgent: null,
    },
  });

const sold = (streamId: string, version: number, at: string, amountMinor: number) =>
  recorded(streamId, version, at, {
    type: 'PropertySold',
    data: { transactionId: `t-${streamId}`, offerId: 'o', buyerId: 'buyer1', salePrice: eur(amountMinor) },
  });

describe('sale rows for model training', () => {
  it('describes each property as it was just before it sold, from every event before the sale', () => {
    const rows = new SaleRows();
    const events = [
      listed('a', '2026-01-01T00:00:00Z'),
      listed('b', '2026-01-05T00:00:00Z'),
      recorded('a', 2, '2026-01-10T00:00:00Z', {
        type: 'PropertyDetailsUpdated',
        data: {
          address: null,
          bedrooms: 4,
          bathrooms: null,
          areaSqm: 120,
          propertyType: null,
          description: null,
        },
      }),
      recorded('a', 3, '2026-01-11T00:00:00Z', {
        type: 'PriceChanged',
        data: { previousPrice: eur(500_000_00), newPrice: eur(480_000_00) },
      }),
      recorded('a', 4, '2026-01-12T00:00:00Z', {
        type: 'OfferReceived',
        data: { offerId: 'o', buyerId: 'buyer1', amount: eur(470_000_00) },
      }),
      sold('a', 5, '2026-01-31T00:00:00Z', 470_000_00),
    ];
    const out = events.map((event) => rows.add(event)).filter((row) => row !== undefined);
    expect(out).toEqual([
      expect.objectContaining({
        propertyId: 'a',
        transactionId: 't-a',
        soldAt: new Date('2026-01-31T00:00:00Z'),
        salePriceMinor: 470_000_00,
        askingPriceMinor: 480_000_00,
        bedrooms: 4,
        bathrooms: 1,
        areaSqm: 120,
        city: 'Amsterdam',
        priceChanges: 1,
        offersReceived: 1,
        daysOnMarket: 30,
      }),
    ]);
  });

  it('takes nothing from another property, or from what a property became later', () => {
    const rows = new SaleRows();
    rows.add(listed('a', '2026-02-01T00:00:00Z'));
    rows.add(listed('b', '2026-02-01T00:00:00Z'));
    const saleOfA = rows.add(sold('a', 2, '2026-02-10T00:00:00Z', 490_000_00));
    // b changes after a's sale: a's row, already made, must not see it.
    rows.add(
      recorded('b', 2, '2026-02-11T00:00:00Z', {
        type: 'PriceChanged',
        data: { previousPrice: eur(500_000_00), newPrice: eur(450_000_00) },
      }),
    );
    const saleOfB = rows.add(sold('b', 3, '2026-02-20T00:00:00Z', 450_000_00));
    expect(saleOfA).toMatchObject({ askingPriceMinor: 500_000_00, priceChanges: 0 });
    expect(saleOfB).toMatchObject({ askingPriceMinor: 450_000_00, priceChanges: 1 });
  });

  it('makes no row for a sale whose listing it never saw', () => {
    expect(new SaleRows().add(sold('orphan', 7, '2026-03-01T00:00:00Z', 1))).toBeUndefined();
  });
});
