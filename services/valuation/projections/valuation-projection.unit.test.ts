import { foldEvent } from '../../shared/projection/fold';
import { eurMinor, listedPayload, propertyHistory } from '../../../test/support/property-history';
import { valuationProjection } from './valuation-projection';
import type { ValuationPropertyDocument } from './valuation-property-document';

function foldAll(events: ReturnType<ReturnType<typeof propertyHistory>>[]) {
  const documents = new Map<string, ValuationPropertyDocument>();
  const outcomes = events.map((event) => foldEvent(valuationProjection, documents, event).outcome);
  return { documents, outcomes };
}

describe('the valuation projection', () => {
  it('keeps the features a sale was made with, and its price per m²', () => {
    const e = propertyHistory('p1');
    const { documents, outcomes } = foldAll([
      e(
        'PropertyListed',
        '2026-03-01T10:00:00.000Z',
        listedPayload({ price: 400_000, listedAt: '2026-03-01T10:00:00.000Z' }),
      ),
      e('PropertyDetailsUpdated', '2026-03-02T10:00:00.000Z', {
        address: null,
        bedrooms: 4,
        bathrooms: null,
        areaSqm: 125,
        propertyType: null,
        description: null,
      }),
      e('PriceChanged', '2026-03-03T10:00:00.000Z', {
        previousPrice: eurMinor(400_000),
        newPrice: eurMinor(390_000),
      }),
      e('OfferReceived', '2026-03-04T10:00:00.000Z', {
        offerId: 'o1',
        buyerId: 'b1',
        amount: eurMinor(375_000),
      }),
      e('OfferAccepted', '2026-03-04T11:00:00.000Z', {
        offerId: 'o1',
        buyerId: 'b1',
        amount: eurMinor(375_000),
      }),
      e('PropertyReserved', '2026-03-05T10:00:00.000Z', {
        transactionId: 't1',
        offerId: 'o1',
        buyerId: 'b1',
      }),
      e('PropertySold', '2026-03-06T10:00:00.000Z', {
        transactionId: 't1',
        offerId: 'o1',
        buyerId: 'b1',
        salePrice: eurMinor(375_000),
      }),
    ]);
    expect(outcomes).toEqual(Array(7).fill('applied'));
    expect(documents.get('p1')).toEqual({
      id: 'p1',
      version: 7,
      status: 'sold',
      street: 'Oudegracht 1',
      city: 'Utrecht',
      postalCode: '3511 AA',
      location: { lat: 52.09, lon: 5.12 },
      propertyType: 'house',
      areaSqm: 125,
      bedrooms: 4,
      bathrooms: 1,
      askingPrice: { amount: 390_000, currency: 'EUR' },
      listedAt: '2026-03-01T10:00:00.000Z',
      soldAt: '2026-03-06T10:00:00.000Z',
      salePrice: { amount: 375_000, currency: 'EUR' },
      salePricePerSqm: 3000,
      updatedAt: '2026-03-06T10:00:00.000Z',
    });
  });

  it('parks an event that skips a version instead of applying it out of order', () => {
    const e = propertyHistory('p2');
    const listed = e(
      'PropertyListed',
      '2026-03-01T10:00:00.000Z',
      listedPayload({ price: 1, listedAt: '2026-03-01T10:00:00.000Z' }),
    );
    e('ListingWithdrawn', '2026-03-02T10:00:00.000Z', { reason: null });
    const relisted = e('PropertyRelisted', '2026-03-03T10:00:00.000Z', { price: null });
    expect(() => foldAll([listed, relisted])).toThrow('PropertyRelisted v3 follows v1: an event is missing');
  });
});
