import { foldEvent, type Fact } from '../../shared/projection/fold';
import type { ProjectedEvent } from '../../shared/projection/projection';
import { applyToMarketDocument, marketAnalyticsProjection } from './market-analytics-projection';
import type { MarketFactDocument } from './market-fact-document';
import type { MarketPropertyDocument } from './market-property-document';

const eur = (amount: number) => ({ amountMinor: Math.round(amount * 100), currency: 'EUR' });
const address = {
  street: 'Keizersgracht 123',
  city: 'Amsterdam',
  postalCode: '1015 CJ',
  region: 'Noord-Holland',
  country: 'NL',
  lat: 52.3731,
  lon: 4.8837,
};

/** Builds the events of one property, numbering versions and offsets as the relay would. */
function history(aggregateId: string) {
  let version = 0;
  return (eventType: string, occurredAt: string, data: Record<string, unknown> = {}): ProjectedEvent => {
    version += 1;
    return {
      aggregateId,
      eventId: `${aggregateId}-e${version}`,
      eventType,
      version,
      occurredAt,
      data,
      topic: 'property.events',
      partition: 0,
      offset: String(version),
    };
  };
}

function listedData(price: number, listedAt: string, overrides: Partial<typeof address> = {}) {
  return {
    propertyId: 'p1',
    address: { ...address, ...overrides },
    price: eur(price),
    bedrooms: 3,
    bathrooms: 2,
    areaSqm: 120,
    propertyType: 'apartment',
    description: null,
    listedAt,
  };
}

/** Folds every event through foldEvent, as the runner does, collecting the facts. */
function foldAll(events: ProjectedEvent[], documents = new Map<string, MarketPropertyDocument>()) {
  const facts: Fact[] = [];
  const outcomes = events.map((event) => {
    const folded = foldEvent(marketAnalyticsProjection, documents, event);
    facts.push(...folded.facts);
    return folded.outcome;
  });
  return { documents, facts, outcomes, factDocs: facts.map((f) => f.document as MarketFactDocument) };
}

function saleHistory(): ProjectedEvent[] {
  const e = history('p1');
  return [
    e('PropertyListed', '2026-03-01T10:00:00.000Z', listedData(400_000, '2026-03-01T10:00:00.000Z')),
    e('PriceChanged', '2026-03-03T09:00:00.000Z', { previousPrice: eur(400_000), newPrice: eur(380_000) }),
    e('OfferReceived', '2026-03-04T10:00:00.000Z', { offerId: 'o1', buyerId: 'b1', amount: eur(370_000) }),
    e('OfferReceived', '2026-03-04T11:30:00.000Z', { offerId: 'o2', buyerId: 'b2', amount: eur(375_000.5) }),
    e('OfferRejected', '2026-03-04T12:00:00.000Z', { offerId: 'o1', reason: 'too low' }),
    e('OfferAccepted', '2026-03-05T08:00:00.000Z', { offerId: 'o2', buyerId: 'b2', amount: eur(375_000.5) }),
    e('PropertyReserved', '2026-03-05T09:00:00.000Z', { transactionId: 't1', offerId: 'o2', buyerId: 'b2' }),
    e('PropertySold', '2026-03-06T10:00:00.000Z', {
      transactionId: 't1',
      offerId: 'o2',
      buyerId: 'b2',
      salePrice: eur(375_000.5),
    }),
  ];
}

describe('market analytics projection: a sale', () => {
  it('folds listed → price cut → offers → reserved → sold into one document', () => {
    const { documents, outcomes } = foldAll(saleHistory());
    expect(outcomes).toEqual(Array(8).fill('applied'));
    expect(documents.get('p1')).toEqual({
      id: 'p1',
      version: 8,
      city: 'Amsterdam',
      postalCode: '1015 CJ',
      region: 'Noord-Holland',
      country: 'NL',
      status: 'sold',
      listedAt: '2026-03-01T10:00:00.000Z',
      listPrice: { amount: 400_000, currency: 'EUR' },
      currentPrice: { amount: 380_000, currency: 'EUR' },
      priceHistory: [
        { at: '2026-03-01T10:00:00.000Z', amount: 400_000, currency: 'EUR' },
        { at: '2026-03-03T09:00:00.000Z', amount: 380_000, currency: 'EUR' },
      ],
      priceCuts: 1,
      offers: [
        {
          offerId: 'o1',
          buyerId: 'b1',
          amount: 370_000,
          currency: 'EUR',
          at: '2026-03-04T10:00:00.000Z',
          status: 'rejected',
        },
        {
          offerId: 'o2',
          buyerId: 'b2',
          amount: 375_000.5,
          currency: 'EUR',
          at: '2026-03-04T11:30:00.000Z',
          status: 'accepted',
        },
      ],
      reservedAt: '2026-03-05T09:00:00.000Z',
      soldAt: '2026-03-06T10:00:00.000Z',
      salePrice: { amount: 375_000.5, currency: 'EUR' },
      withdrawnAt: null,
      withdrawnPeriods: [],
      daysOnMarket: 5,
      updatedAt: '2026-03-06T10:00:00.000Z',
    });
  });

  it('emits listed, price-cut and sold facts keyed by event id, with their days and amounts', () => {
    const { facts, factDocs } = foldAll(saleHistory());
    expect(facts.map((f) => [f.id, f.docId])).toEqual([
      ['p1-e1', 'p1'],
      ['p1-e2', 'p1'],
      ['p1-e8', 'p1'],
    ]);
    const common = { propertyId: 'p1', city: 'Amsterdam', postalCode: '1015 CJ', currency: 'EUR' };
    expect(factDocs).toEqual([
      {
        ...common,
        kind: 'listed',
        eventId: 'p1-e1',
        version: 1,
        day: '2026-03-01',
        at: '2026-03-01T10:00:00.000Z',
        listPrice: 400_000,
      },
      {
        ...common,
        kind: 'price-cut',
        eventId: 'p1-e2',
        version: 2,
        day: '2026-03-03',
        at: '2026-03-03T09:00:00.000Z',
        listPrice: 400_000,
        oldPrice: 400_000,
        newPrice: 380_000,
        priceChange: 'cut',
      },
      {
        ...common,
        kind: 'sold',
        eventId: 'p1-e8',
        version: 8,
        day: '2026-03-06',
        at: '2026-03-06T10:00:00.000Z',
        listPrice: 400_000,
        salePrice: 375_000.5,
        saleToListRatio: 375_000.5 / 400_000,
        daysOnMarket: 5,
      },
    ]);
  });

  it('days come from occurredAt in UTC, and days on market drop partial days', () => {
    const e = history('p2');
    const { factDocs } = foldAll([
      e('PropertyListed', '2026-03-01T23:30:00.000Z', listedData(100_000, '2026-03-01T23:30:00.000Z')),
      e('OfferReceived', '2026-03-02T00:10:00.000Z', { offerId: 'o', buyerId: 'b', amount: eur(90_000) }),
      e('OfferAccepted', '2026-03-02T00:20:00.000Z', { offerId: 'o', buyerId: 'b', amount: eur(90_000) }),
      e('PropertyReserved', '2026-03-02T00:30:00.000Z', { transactionId: 't', offerId: 'o', buyerId: 'b' }),
      e('PropertySold', '2026-03-04T22:00:00.000Z', {
        transactionId: 't',
        offerId: 'o',
        buyerId: 'b',
        salePrice: eur(90_000),
      }),
    ]);
    expect(factDocs.map((f) => [f.kind, f.day, f.daysOnMarket])).toEqual([
      ['listed', '2026-03-01', undefined],
      ['sold', '2026-03-04', 2],
    ]);
    expect(factDocs[1]?.saleToListRatio).toBe(0.9);
  });
});

describe('market analytics projection: withdrawals, relists, raises, moves', () => {
  const e = history('p3');
  const events = [
    e('PropertyListed', '2026-03-01T00:00:00.000Z', listedData(500_000, '2026-03-01T00:00:00.000Z')),
    e('PriceChanged', '2026-03-02T12:00:00.000Z', { previousPrice: eur(500_000), newPrice: eur(520_000) }),
    e('ListingWithdrawn', '2026-03-04T00:00:00.000Z', { reason: null }),
    e('PropertyRelisted', '2026-03-10T00:00:00.000Z', { price: eur(480_000) }),
    e('PropertyDetailsUpdated', '2026-03-11T00:00:00.000Z', {
      address: { ...address, city: 'Haarlem', postalCode: '2011 AA' },
      bedrooms: null,
      bathrooms: null,
      areaSqm: null,
      propertyType: null,
      description: null,
    }),
    e('OfferReceived', '2026-03-11T01:00:00.000Z', { offerId: 'o', buyerId: 'b', amount: eur(480_000) }),
    e('OfferAccepted', '2026-03-11T02:00:00.000Z', { offerId: 'o', buyerId: 'b', amount: eur(480_000) }),
    e('PropertyReserved', '2026-03-11T03:00:00.000Z', { transactionId: 't', offerId: 'o', buyerId: 'b' }),
    e('ReservationReleased', '2026-03-11T04:00:00.000Z', { transactionId: 't', reason: 'no mortgage' }),
    e('PropertyReserved', '2026-03-11T05:00:00.000Z', { transactionId: 't2', offerId: 'o', buyerId: 'b' }),
    e('PropertySold', '2026-03-12T00:00:00.000Z', {
      transactionId: 't2',
      offerId: 'o',
      buyerId: 'b',
      salePrice: eur(480_000),
    }),
  ];

  it('a withdrawal stops the clock, a relist at a lower price is a cut, and the days off market do not count', () => {
    const withdrawn = foldAll(events.slice(0, 3));
    expect(withdrawn.documents.get('p3')).toMatchObject({
      status: 'withdrawn',
      withdrawnAt: '2026-03-04T00:00:00.000Z',
      withdrawnPeriods: [{ gte: '2026-03-04T00:00:00.000Z' }],
      daysOnMarket: 3,
    });
    const relisted = foldAll(events.slice(3), withdrawn.documents);
    const doc = relisted.documents.get('p3') as MarketPropertyDocument;
    expect(doc).toMatchObject({
      status: 'sold',
      city: 'Haarlem',
      postalCode: '2011 AA',
      withdrawnAt: null,
      withdrawnPeriods: [{ gte: '2026-03-04T00:00:00.000Z', lt: '2026-03-10T00:00:00.000Z' }],
      listPrice: { amount: 500_000, currency: 'EUR' },
      currentPrice: { amount: 480_000, currency: 'EUR' },
      priceCuts: 1,
      reservedAt: '2026-03-11T05:00:00.000Z',
      // 3 days before the withdrawal, 2 after the relist.
      daysOnMarket: 5,
    });
    expect(doc.priceHistory.map((p) => p.amount)).toEqual([500_000, 520_000, 480_000]);
    const facts = [...withdrawn.factDocs, ...relisted.factDocs];
    expect(facts.map((f) => [f.kind, f.day, f.city])).toEqual([
      ['listed', '2026-03-01', 'Amsterdam'],
      ['price-raise', '2026-03-02', 'Amsterdam'],
      ['withdrawn', '2026-03-04', 'Amsterdam'],
      ['relisted', '2026-03-10', 'Amsterdam'],
      ['sold', '2026-03-12', 'Haarlem'],
    ]);
    expect(facts[1]).toMatchObject({ oldPrice: 500_000, newPrice: 520_000, priceChange: 'raise' });
    expect(facts[2]).toMatchObject({ daysOnMarket: 3, listPrice: 500_000 });
    expect(facts[3]).toMatchObject({ oldPrice: 520_000, newPrice: 480_000, priceChange: 'cut' });
    expect(facts[4]).toMatchObject({ salePrice: 480_000, saleToListRatio: 0.96, daysOnMarket: 5 });
  });

  it('a relist at the same price changes no price and carries no price change', () => {
    const f = history('p4');
    const { documents, factDocs } = foldAll([
      f('PropertyListed', '2026-03-01T00:00:00.000Z', listedData(200_000, '2026-03-01T00:00:00.000Z')),
      f('ListingWithdrawn', '2026-03-02T00:00:00.000Z', { reason: 'holiday' }),
      f('PropertyRelisted', '2026-03-03T00:00:00.000Z', { price: null }),
    ]);
    expect(documents.get('p4')).toMatchObject({ status: 'listed', priceCuts: 0, daysOnMarket: null });
    expect(documents.get('p4')?.priceHistory).toHaveLength(1);
    expect(factDocs[2]).not.toHaveProperty('priceChange');
    expect(factDocs[2]).toMatchObject({ kind: 'relisted', listPrice: 200_000 });
  });
});

describe('market analytics projection: ordering', () => {
  it('throws on a version gap, a first event that is not PropertyListed, or PropertyListed after v1', () => {
    const [listed, cut, offer] = saleHistory() as [ProjectedEvent, ProjectedEvent, ProjectedEvent];
    const doc = applyToMarketDocument(undefined, listed);
    expect(() => applyToMarketDocument(doc, offer)).toThrow(
      'OfferReceived v3 follows v1: an event is missing',
    );
    expect(() => applyToMarketDocument(undefined, cut)).toThrow('never seen listed');
    expect(() => applyToMarketDocument(undefined, { ...listed, version: 2 })).toThrow(
      'PropertyListed at version 2, expected 1',
    );
    expect(() => applyToMarketDocument(doc, { ...cut, eventType: 'PropertyTeleported' })).toThrow(
      'unknown event type',
    );
    expect(() => foldAll([listed, offer])).toThrow('an event is missing');
  });

  it('foldEvent treats a redelivered or older event as a duplicate: no change, no facts', () => {
    const events = saleHistory();
    const { documents } = foldAll(events.slice(0, 3));
    const before = structuredClone(documents.get('p1'));
    const again = foldAll([events[2] as ProjectedEvent, events[0] as ProjectedEvent], documents);
    expect(again.outcomes).toEqual(['duplicate', 'duplicate']);
    expect(again.facts).toEqual([]);
    expect(documents.get('p1')).toEqual(before);
    // And the fold carries on from where it was.
    expect(foldAll(events.slice(3), documents).outcomes).toEqual(Array(5).fill('applied'));
  });

  it('apply is pure: it never changes the document it is given', () => {
    const events = saleHistory();
    let doc: MarketPropertyDocument | undefined;
    for (const event of events) {
      const frozen = doc ? deepFreeze(structuredClone(doc)) : undefined;
      doc = applyToMarketDocument(frozen, event);
      expect(applyToMarketDocument(frozen, event)).toEqual(doc);
    }
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
