import { randomUUID } from 'node:crypto';
import { authConfig } from '../../shared/auth/auth-config';
import { createTokenVerifier } from '../../shared/auth/token-verifier';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { infrastructureConfig } from '../../shared/service/infrastructure';
import { HttpProblem } from '../../shared/http/problem';
import { analyticsApi } from './analytics-openapi';
import { expectServedDocumented } from '../../../test/support/openapi-contract';
import { createServiceApp } from '../../shared/http/service-app';
import { createLogger } from '../../shared/observability/logger';
import { ServiceMetrics } from '../../shared/observability/metrics';
import { DocumentStore } from '../../shared/projection/document-store';
import { foldEvent, type Fact } from '../../shared/projection/fold';
import type { ProjectedEvent, Projection } from '../../shared/projection/projection';
import { marketAnalyticsProjection } from '../projections/market-analytics-projection';
import type { MarketPropertyDocument } from '../projections/market-property-document';
import { analyticsRoutes } from './analytics-routes';
import type { MarketDay, MarketReport } from './market-response';
import { elasticsearchClient } from '../../shared/elasticsearch/elasticsearch-client';

const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);
// Aliases of its own: the test never touches the projection's `market-properties`.
const suffix = randomUUID().slice(0, 8);
const projection: Projection<MarketPropertyDocument> = {
  ...marketAnalyticsProjection,
  name: `market-analytics-test-${suffix}`,
  alias: `market-properties-test-${suffix}`,
};
const store = new DocumentStore(es, projection);
const waitForToken = jest.fn(async (_token: string): Promise<void> => undefined);
const NOW = new Date('2026-03-20T00:00:00.000Z');

// ---------------------------------------------------------------------------------------------
// The market: four Amsterdam properties (one spelled in lower case) and one in Rotterdam
// ---------------------------------------------------------------------------------------------

const eur = (amount: number) => ({ amountMinor: amount * 100, currency: 'EUR' });

function history(aggregateId: string) {
  let version = 0;
  return (eventType: string, occurredAt: string, data: Record<string, unknown> = {}): ProjectedEvent => {
    version += 1;
    return {
      aggregateId,
      eventId: `${aggregateId}-${suffix}-e${version}`,
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

function listed(id: string, city: string, postalCode: string, price: number, at: string) {
  return {
    propertyId: id,
    address: {
      street: `Teststraat ${id}`,
      city,
      postalCode,
      region: 'NH',
      country: 'NL',
      lat: 52.37,
      lon: 4.88,
    },
    price: eur(price),
    bedrooms: 2,
    bathrooms: 1,
    areaSqm: 80,
    propertyType: 'apartment',
    description: null,
    listedAt: at,
  };
}

const a1 = history('a1');
const a2 = history('a2');
const a3 = history('a3');
const a4 = history('a4');
const r1 = history('r1');
const offer = (id: string, buyerId: string, amount: number) => ({
  offerId: id,
  buyerId,
  amount: eur(amount),
});
const sold = (offerId: string, buyerId: string, amount: number) => ({
  transactionId: `t-${offerId}`,
  offerId,
  buyerId,
  salePrice: eur(amount),
});
const reserved = (offerId: string, buyerId: string) => ({ transactionId: `t-${offerId}`, offerId, buyerId });

const events: ProjectedEvent[] = [
  // a1: listed 03-01 at 400k, cut to 380k on 03-03, two offers, sold 03-06 at 375k after 5 days.
  a1(
    'PropertyListed',
    '2026-03-01T10:00:00.000Z',
    listed('a1', 'Amsterdam', '1015 CJ', 400_000, '2026-03-01T10:00:00.000Z'),
  ),
  a1('PriceChanged', '2026-03-03T09:00:00.000Z', { previousPrice: eur(400_000), newPrice: eur(380_000) }),
  a1('OfferReceived', '2026-03-04T10:00:00.000Z', offer('o1', 'b1', 370_000)),
  a1('OfferReceived', '2026-03-04T11:00:00.000Z', offer('o2', 'b2', 375_000)),
  a1('OfferRejected', '2026-03-04T12:00:00.000Z', { offerId: 'o1', reason: null }),
  a1('OfferAccepted', '2026-03-05T08:00:00.000Z', offer('o2', 'b2', 375_000)),
  a1('PropertyReserved', '2026-03-05T09:00:00.000Z', reserved('o2', 'b2')),
  a1('PropertySold', '2026-03-06T10:00:00.000Z', sold('o2', 'b2', 375_000)),
  // a2: listed 03-02 at 600k, sold 03-06 at 630k after 4 days (and 6 hours).
  a2(
    'PropertyListed',
    '2026-03-02T09:00:00.000Z',
    listed('a2', 'Amsterdam', '1016 AB', 600_000, '2026-03-02T09:00:00.000Z'),
  ),
  a2('OfferReceived', '2026-03-03T10:00:00.000Z', offer('o3', 'b3', 630_000)),
  a2('OfferAccepted', '2026-03-03T11:00:00.000Z', offer('o3', 'b3', 630_000)),
  a2('PropertyReserved', '2026-03-04T09:00:00.000Z', reserved('o3', 'b3')),
  a2('PropertySold', '2026-03-06T15:00:00.000Z', sold('o3', 'b3', 630_000)),
  // a3: listed 03-02 at 500k, withdrawn 03-04, relisted 03-07 at 480k (a cut).
  a3(
    'PropertyListed',
    '2026-03-02T12:00:00.000Z',
    listed('a3', 'Amsterdam', '1015 CJ', 500_000, '2026-03-02T12:00:00.000Z'),
  ),
  a3('ListingWithdrawn', '2026-03-04T12:00:00.000Z', { reason: null }),
  a3('PropertyRelisted', '2026-03-07T08:00:00.000Z', { price: eur(480_000) }),
  // a4: lower-case city, listed 03-03 at 300k, raised to 320k on 03-05, still listed.
  a4(
    'PropertyListed',
    '2026-03-03T15:00:00.000Z',
    listed('a4', 'amsterdam', '1017 XX', 300_000, '2026-03-03T15:00:00.000Z'),
  ),
  a4('PriceChanged', '2026-03-05T10:00:00.000Z', { previousPrice: eur(300_000), newPrice: eur(320_000) }),
  // r1: another city, which no Amsterdam figure may include.
  r1(
    'PropertyListed',
    '2026-03-02T10:00:00.000Z',
    listed('r1', 'Rotterdam', '3011 AA', 250_000, '2026-03-02T10:00:00.000Z'),
  ),
  r1('OfferReceived', '2026-03-03T10:00:00.000Z', offer('o9', 'b9', 240_000)),
  r1('OfferAccepted', '2026-03-03T11:00:00.000Z', offer('o9', 'b9', 240_000)),
  r1('PropertyReserved', '2026-03-04T11:00:00.000Z', reserved('o9', 'b9')),
  r1('PropertySold', '2026-03-06T11:00:00.000Z', sold('o9', 'b9', 240_000)),
];

// ---------------------------------------------------------------------------------------------
// Server and helpers
// ---------------------------------------------------------------------------------------------

const app = (alias: string) =>
  createServiceApp({
    logger: createLogger('analytics-test', 'silent'),
    metrics: new ServiceMetrics('analytics-test'),
    verifier: createTokenVerifier(authConfig()),
    readiness: async () => ({ ready: true, checks: {} }),
    details: async () => ({}),
    api: analyticsApi,
    routes: analyticsRoutes({ es, alias, waitForToken, now: () => NOW }),
  });

const servers: Server[] = [];
async function listen(alias: string): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const s = app(alias).listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Answer<T> {
  status: number;
  contentType: string | null;
  headers: Headers;
  body: T;
}

let base: string;
async function get<T = MarketReport>(path: string, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const response = await fetch(`${base}${path}`, { headers });
  const body = (await response.json()) as T;
  // Every answer of this file is also checked against the service's OpenAPI document.
  await expectServedDocumented(base, {
    method: 'GET',
    url: path,
    status: response.status,
    headers: response.headers,
    body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    headers: response.headers,
    body,
  };
}

async function market(query: string, city = 'AMSTERDAM'): Promise<MarketReport> {
  const answer = await get(`/analytics/markets/${city}?${query}`);
  expect(answer.status).toBe(200);
  return answer.body;
}

const documents = new Map<string, MarketPropertyDocument>();
const facts: Fact[] = [];

beforeAll(async () => {
  await store.ensureIndex();
  for (const event of events) facts.push(...foldEvent(projection, documents, event).facts);
  const outcomes = await store.write(documents, facts);
  expect(outcomes.every((o) => o.result === 'written')).toBe(true);
  await es.indices.refresh({ index: [projection.alias, store.factsAlias] });
  base = await listen(projection.alias);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  // Physical index names, not a wildcard: Elasticsearch 8 refuses wildcard deletes by default.
  const physical = await es.indices.getAlias(
    { name: [projection.alias, store.factsAlias] },
    { ignore: [404] },
  );
  const indices = Object.keys(physical).filter((name) => name.startsWith(projection.alias));
  if (indices.length > 0) await es.indices.delete({ index: indices, ignore_unavailable: true });
  await es.close();
});

beforeEach(() => waitForToken.mockClear());

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

describe('writing through DocumentStore', () => {
  it('refuses to overwrite a document it did not read, and a fact it already has', async () => {
    // a4 as it was after its first event only: a redelivery of PropertyListed.
    const first = new Map<string, MarketPropertyDocument>();
    const replay = foldEvent(projection, first, events.find((e) => e.aggregateId === 'a4') as ProjectedEvent);
    const outcomes = await store.write(first, replay.facts);
    expect(outcomes.map((o) => o.result)).toEqual(['conflict', 'duplicate']);
    expect((await store.getMany(['a4'])).get('a4')).toEqual(documents.get('a4'));
  });
});

describe('GET /analytics/markets/:city', () => {
  const day = (report: MarketReport, d: string) => report.days.find((x) => x.day === d) as MarketDay;

  it('answers one bucket per day, empty days included, case-insensitively by city', async () => {
    const report = await market('from=2026-03-01&to=2026-03-08');
    expect(report).toMatchObject({
      city: 'AMSTERDAM',
      postalCode: null,
      from: '2026-03-01',
      to: '2026-03-08',
    });
    expect(report.currencies).toEqual(['EUR']);
    expect(
      report.days.map((d) => [d.day, d.activeListings, d.newListings, d.priceCuts, d.soldCount]),
    ).toEqual([
      ['2026-03-01', 1, 1, 0, 0],
      ['2026-03-02', 3, 2, 0, 0],
      ['2026-03-03', 4, 1, 1, 0],
      // a3 withdrawn; a1 and a2 are reserved, still on the market.
      ['2026-03-04', 3, 0, 0, 0],
      ['2026-03-05', 3, 0, 0, 0],
      // a1 and a2 sold: only a4 is left.
      ['2026-03-06', 1, 0, 0, 2],
      // a3 relisted at a lower price: back on the market, and a price cut.
      ['2026-03-07', 2, 0, 1, 0],
      ['2026-03-08', 2, 0, 0, 0],
    ]);
    expect(report.days.map((d) => [d.withdrawnCount, d.relistedCount])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [1, 0],
      [0, 0],
      [0, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(await market('from=2026-03-01&to=2026-03-08', 'amsterdam')).toEqual({
      ...report,
      city: 'amsterdam',
    });
  });

  it('averages and medians of list prices, sale prices, days on market and sale-to-list ratio', async () => {
    const report = await market('from=2026-03-01&to=2026-03-08');
    expect(day(report, '2026-03-01')).toMatchObject({ averageListPrice: 400_000, medianListPrice: 400_000 });
    expect(day(report, '2026-03-02')).toMatchObject({ averageListPrice: 550_000, medianListPrice: 550_000 });
    expect(day(report, '2026-03-06')).toMatchObject({
      averageListPrice: null,
      medianListPrice: null,
      medianSalePrice: 502_500,
      medianDaysOnMarket: 4.5,
      saleToListRatio: 0.9938,
    });
    expect(day(report, '2026-03-08')).toEqual({
      day: '2026-03-08',
      activeListings: 2,
      newListings: 0,
      averageListPrice: null,
      medianListPrice: null,
      priceCuts: 0,
      soldCount: 0,
      medianSalePrice: null,
      medianDaysOnMarket: null,
      saleToListRatio: null,
      withdrawnCount: 0,
      relistedCount: 0,
    });
    expect(report.totals).toEqual({
      newListings: 4,
      averageListPrice: 450_000,
      medianListPrice: 450_000,
      priceCuts: 2,
      soldCount: 2,
      medianSalePrice: 502_500,
      medianDaysOnMarket: 4.5,
      saleToListRatio: 0.9938,
      withdrawnCount: 1,
      relistedCount: 1,
      activeListingsAtEnd: 2,
    });
  });

  it('counts active listings before anything was listed and up to the day before the sales', async () => {
    const before = await market('from=2026-02-27&to=2026-03-05');
    expect(before.days.map((d) => d.activeListings)).toEqual([0, 0, 1, 3, 4, 3, 3]);
    expect(before.totals).toMatchObject({ soldCount: 0, newListings: 4, activeListingsAtEnd: 3 });
    const after = await market('from=2026-03-06&to=2026-03-06');
    expect(after.days).toHaveLength(1);
    expect(after.totals).toMatchObject({ soldCount: 2, newListings: 0, activeListingsAtEnd: 1 });
  });

  it('narrows to a postal code', async () => {
    const report = await market('from=2026-03-01&to=2026-03-08&postalCode=1015%20CJ');
    expect(report.postalCode).toBe('1015 CJ');
    expect(report.days.map((d) => d.activeListings)).toEqual([1, 2, 2, 1, 1, 0, 1, 1]);
    expect(report.totals).toMatchObject({
      newListings: 2,
      averageListPrice: 450_000,
      soldCount: 1,
      medianSalePrice: 375_000,
      medianDaysOnMarket: 5,
      saleToListRatio: 0.9375,
      priceCuts: 2,
    });
  });

  it('defaults to the 30 days ending today', async () => {
    const report = await market('');
    expect(report).toMatchObject({ from: '2026-02-19', to: '2026-03-20' });
    expect(report.days).toHaveLength(30);
    expect(report.totals).toMatchObject({ soldCount: 2, newListings: 4, activeListingsAtEnd: 2 });
  });

  it('an unknown city has empty days, not an error', async () => {
    const report = await market('from=2026-03-01&to=2026-03-02', 'Atlantis');
    expect(report.days.map((d) => [d.activeListings, d.newListings])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(report.totals.activeListingsAtEnd).toBe(0);
  });

  it('one 400 problem names each bad parameter', async () => {
    const answer = await get<{ errors: Array<{ field: string }> }>(
      '/analytics/markets/%20?from=2026-02-30&to=soon&postalCode=&consistentWith=',
    );
    expect(answer.status).toBe(400);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body.errors.map((e) => e.field).sort()).toEqual(
      ['path.city', 'query.consistentWith', 'query.from', 'query.postalCode', 'query.to'].sort(),
    );
  });

  it.each([
    ['from=2026-03-02&to=2026-03-01', ['query.from', 'query.to']],
    ['from=2025-01-01&to=2026-01-02', ['query.from', 'query.to']],
    // Without to, to is today (2026-03-20): only from is to blame.
    ['from=2026-04-01', ['query.from']],
    ['from=2026-03-01&from=2026-03-02', ['query.from']],
    ['bogus=1', ['query']],
  ])('%s → %j', async (query, fields) => {
    const answer = await get<{ errors: Array<{ field: string }> }>(`/analytics/markets/amsterdam?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e) => e.field)).toEqual(fields);
  });
});

describe('GET /analytics/properties/:id', () => {
  it('returns a sold property: price history, offers, days on market', async () => {
    const answer = await get<MarketPropertyDocument>('/analytics/properties/a1');
    expect(answer.status).toBe(200);
    const stored = documents.get('a1');
    // The endpoint is open: who made each offer stays in the read model.
    expect(answer.body).toEqual({
      ...stored,
      offers: stored?.offers.map(({ buyerId: _buyer, ...offer }) => offer),
    });
    expect(JSON.stringify(answer.body)).not.toMatch(/buyer/i);
    expect(answer.body).toMatchObject({ status: 'sold', daysOnMarket: 5, priceCuts: 1 });
    expect(answer.body.priceHistory.map((p) => p.amount)).toEqual([400_000, 380_000]);
    expect(answer.body.offers.map((o) => [o.offerId, o.amount, o.status])).toEqual([
      ['o1', 370_000, 'rejected'],
      ['o2', 375_000, 'accepted'],
    ]);
  });

  it('computes days on market to now while the property is on the market, withdrawn days left out', async () => {
    const a4 = await get<MarketPropertyDocument>('/analytics/properties/a4');
    // 03-03 15:00 → 03-20 00:00: 16 days and 9 hours.
    expect(a4.body).toMatchObject({ status: 'listed', daysOnMarket: 16 });
    expect(documents.get('a4')?.daysOnMarket).toBeNull();
    const a3 = await get<MarketPropertyDocument>('/analytics/properties/a3');
    // 2 days before the withdrawal, then 03-07 08:00 → 03-20 00:00 (12 days 16 hours).
    expect(a3.body).toMatchObject({ status: 'listed', daysOnMarket: 14, withdrawnAt: null });
  });

  it('is a 404 problem for a missing id, and a 400 for unknown parameters', async () => {
    const missing = await get<{ status: number; detail: string }>('/analytics/properties/nope');
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/problem+json');
    expect(missing.body.detail).toContain('nope');
    const unknown = await get<{ errors: Array<{ field: string }> }>('/analytics/properties/a1?x=1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e) => e.field)).toEqual(['query']);
  });
});

describe('consistency tokens', () => {
  it('are awaited before either query, from the header or from consistentWith', async () => {
    await market('from=2026-03-01&to=2026-03-02&consistentWith=a1%408');
    expect(waitForToken).toHaveBeenLastCalledWith('a1@8');
    const answer = await get('/analytics/properties/a2', { 'X-Consistency-Token': 'a2@5' });
    expect(answer.status).toBe(200);
    expect(waitForToken).toHaveBeenLastCalledWith('a2@5');
    await get('/analytics/properties/a2?consistentWith=a2%405');
    await market('from=2026-03-01&to=2026-03-02');
    expect(waitForToken).toHaveBeenCalledTimes(3);
  });

  it('two different tokens are a 400; a timeout problem from waitForToken propagates', async () => {
    const conflicting = await get<{ errors: Array<{ field: string }> }>(
      '/analytics/markets/amsterdam?consistentWith=a%401',
      { 'X-Consistency-Token': 'b@1' },
    );
    expect(conflicting.status).toBe(400);
    expect(conflicting.body.errors.map((e) => e.field)).toEqual([
      'header.X-Consistency-Token',
      'query.consistentWith',
    ]);
    waitForToken.mockRejectedValueOnce(
      new HttpProblem(503, 'Not yet consistent', 'timed out', {}, undefined, { 'Retry-After': '1' }),
    );
    const timedOut = await get<{ status: number }>('/analytics/properties/a1?consistentWith=a1%409');
    expect(timedOut.status).toBe(503);
    expect(timedOut.headers.get('retry-after')).toBe('1');
  });
});

describe('before the projector has created its indices', () => {
  it('answers 503 with Retry-After, not 500', async () => {
    const other = await listen(`market-properties-missing-${randomUUID()}`);
    const report = await fetch(`${other}/analytics/markets/amsterdam`);
    expect(report.status).toBe(503);
    expect(report.headers.get('retry-after')).toBe('5');
    expect(report.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${other}/analytics/properties/a1`)).status).toBe(503);
  });
});
