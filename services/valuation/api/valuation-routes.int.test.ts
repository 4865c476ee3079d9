import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { authConfig } from '../../shared/auth/auth-config';
import { createTokenVerifier } from '../../shared/auth/token-verifier';
import { elasticsearchClient } from '../../shared/elasticsearch/elasticsearch-client';
import { createServiceApp } from '../../shared/http/service-app';
import { createLogger } from '../../shared/observability/logger';
import { ServiceMetrics } from '../../shared/observability/metrics';
import { DocumentStore } from '../../shared/projection/document-store';
import { foldEvent } from '../../shared/projection/fold';
import type { ProjectedEvent, Projection } from '../../shared/projection/projection';
import { infrastructureConfig } from '../../shared/service/infrastructure';
import { expectServedDocumented } from '../../../test/support/openapi-contract';
import { eurMinor, listedPayload, propertyHistory } from '../../../test/support/property-history';
import { valuationProjection } from '../projections/valuation-projection';
import type { ValuationPropertyDocument } from '../projections/valuation-property-document';
import type { valuationJson } from './response-schemas';
import { valuationApi } from './valuation-openapi';
import { valuationRoutes } from './valuation-routes';

type Valuation = z.output<typeof valuationJson>;

const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);
// An alias of its own: the test never touches the service's `valuation-properties`.
const run = randomUUID().slice(0, 8);
const projection: Projection<ValuationPropertyDocument> = {
  ...valuationProjection,
  name: `valuation-test-${run}`,
  alias: `valuation-properties-test-${run}`,
};
const store = new DocumentStore(es, projection);
const NOW = new Date('2026-05-01T00:00:00.000Z');
const settings = { radiusKm: 5, windowDays: 365, maxComparables: 8, minComparables: 3 };

// ---------------------------------------------------------------------------------------------
// The market: sixteen Utrecht sales from January to April 2026, 100 m² each, their price per
// m² rising 1 % a month from 5,000; a sale after the valuation date; one sale in Amersfoort;
// the subject, listed in Utrecht and not sold.
// ---------------------------------------------------------------------------------------------

function soldProperty(
  id: string,
  at: string,
  pricePerSqm: number,
  where: { lat: number; lon: number; city: string },
) {
  const e = propertyHistory(id, run);
  const listedAt = new Date(Date.parse(at) - 10 * 86_400_000).toISOString();
  const amount = Math.round(pricePerSqm * 100);
  return [
    e('PropertyListed', listedAt, listedPayload({ price: amount, listedAt, ...where })),
    e('OfferReceived', at, { offerId: `o-${id}`, buyerId: 'b', amount: eurMinor(amount) }),
    e('OfferAccepted', at, { offerId: `o-${id}`, buyerId: 'b', amount: eurMinor(amount) }),
    e('PropertyReserved', at, { transactionId: `t-${id}`, offerId: `o-${id}`, buyerId: 'b' }),
    e('PropertySold', at, {
      transactionId: `t-${id}`,
      offerId: `o-${id}`,
      buyerId: 'b',
      salePrice: eurMinor(amount),
    }),
  ];
}

const utrecht = (i: number) => ({
  city: 'Utrecht',
  lat: 52.09 + (i % 4) * 0.002,
  lon: 5.12 + (i % 3) * 0.002,
});
const amersfoort = { city: 'Amersfoort', lat: 52.156, lon: 5.387 };
const events: ProjectedEvent[] = [
  ...Array.from({ length: 16 }, (_, i) => {
    const month = Math.floor(i / 4);
    const at = new Date(Date.UTC(2026, month, 5 + (i % 4) * 5)).toISOString();
    return soldProperty(`u${i}`, at, 5000 * 1.01 ** month, utrecht(i));
  }).flat(),
  ...soldProperty('after-the-date', '2026-06-01T00:00:00.000Z', 9000, utrecht(0)),
  ...soldProperty('amersfoort', '2026-03-01T00:00:00.000Z', 4000, amersfoort),
  propertyHistory('subject', run)(
    'PropertyListed',
    '2026-04-20T00:00:00.000Z',
    listedPayload({ price: 700_000, listedAt: '2026-04-20T00:00:00.000Z', areaSqm: 120, city: 'Utrecht' }),
  ),
];

// ---------------------------------------------------------------------------------------------
// Server and helpers
// ---------------------------------------------------------------------------------------------

const servers: Server[] = [];
async function listen(alias: string): Promise<string> {
  const app = createServiceApp({
    logger: createLogger('valuation-test', 'silent'),
    metrics: new ServiceMetrics('valuation-test'),
    verifier: createTokenVerifier(authConfig()),
    readiness: async () => ({ ready: true, checks: {} }),
    details: async () => ({}),
    api: valuationApi,
    routes: valuationRoutes({ es, alias, waitForToken: async () => undefined, settings, now: () => NOW }),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let base: string;
async function get<T = Valuation>(
  path: string,
  at = base,
): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(`${at}${path}`);
  const body = (await response.json()) as T;
  // Every answer is also checked against the service's OpenAPI document.
  await expectServedDocumented(at, {
    method: 'GET',
    url: path,
    status: response.status,
    headers: response.headers,
    body,
  });
  return { status: response.status, headers: response.headers, body };
}

beforeAll(async () => {
  await store.ensureIndex();
  const documents = new Map<string, ValuationPropertyDocument>();
  for (const event of events) foldEvent(projection, documents, event);
  const outcomes = await store.write(documents, []);
  expect(outcomes.every((o) => o.result === 'written')).toBe(true);
  await es.indices.refresh({ index: projection.alias });
  base = await listen(projection.alias);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  const physical = await es.indices.getAlias({ name: projection.alias }, { ignore: [404] });
  const indices = Object.keys(physical).filter((name) => name.startsWith(projection.alias));
  if (indices.length > 0) await es.indices.delete({ index: indices, ignore_unavailable: true });
  await es.close();
});

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

describe('GET /valuations/:propertyId', () => {
  it('values a listed property from the most similar earlier sales nearby, adjusted by the city trend', async () => {
    const { status, body } = await get('/valuations/subject');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      subject: {
        propertyId: 'subject',
        city: 'Utrecht',
        areaSqm: 120,
        askingPrice: { amount: 700_000, currency: 'EUR' },
      },
      method: 'sales-comparison',
      asOf: NOW.toISOString(),
      outcome: 'estimated',
      sampleSize: 8,
      minimumSample: 3,
      marketTrend: { months: 4, sales: 16, fitted: true },
    });
    // 1 % a month compounds to about 12.7 % a year.
    expect(body.marketTrend.annualChange).toBeGreaterThan(0.1);
    expect(body.marketTrend.annualChange).toBeLessThan(0.15);
    const ids = body.comparables.map((c) => c.id);
    expect(ids).not.toContain('subject');
    expect(ids).not.toContain('after-the-date');
    expect(ids).not.toContain('amersfoort');
    expect(body.comparables.every((c) => Date.parse(c.soldAt) < NOW.getTime())).toBe(true);
    // Every comparable is brought up to May: at least its own price per m², never below 5,000.
    for (const c of body.comparables) expect(c.adjustedPricePerSqm).toBeGreaterThanOrEqual(c.pricePerSqm);
    // The newest sales were at 5,150 per m²; 120 m² at about that, quoted to the thousand.
    expect(body.estimate!.amount).toBeGreaterThan(600_000);
    expect(body.estimate!.amount).toBeLessThan(640_000);
    expect(body.band!.low.amount).toBeLessThan(body.estimate!.amount);
    expect(body.band!.high.amount).toBeGreaterThan(body.estimate!.amount);
  });

  it('never takes a sold property as its own comparable, nor a sale after the valuation date', async () => {
    // u15 sold in April; valued as of May 1st, the sales before then are its candidates.
    const { status, body } = await get('/valuations/u15');
    expect(status).toBe(200);
    expect(body.outcome).toBe('estimated');
    const ids = body.comparables.map((c) => c.id);
    expect(ids).not.toContain('u15');
    expect(ids).not.toContain('after-the-date');
  });

  it('is a 404 for a property the read model does not hold', async () => {
    const { status, body } = await get<{ title: string; detail: string }>('/valuations/no-such-property');
    expect(status).toBe(404);
    expect(body.detail).toMatch(/no-such-property/);
  });

  it('is a 503 with Retry-After before the read model exists', async () => {
    const missing = await listen(`valuation-properties-missing-${run}`);
    const { status, headers } = await get('/valuations/subject', missing);
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe('5');
  });
});

describe('GET /valuations (a described property)', () => {
  const described = 'city=Utrecht&type=house&areaSqm=100&bedrooms=3&bathrooms=1&lat=52.091&lon=5.121';

  it('values a described property the same way', async () => {
    const { status, body } = await get(`/valuations?${described}`);
    expect(status).toBe(200);
    expect(body.subject.propertyId).toBeNull();
    expect(body.outcome).toBe('estimated');
    expect(body.estimate!.amount).toBeGreaterThan(500_000);
    expect(body.estimate!.amount).toBeLessThan(535_000);
  });

  it('answers "not enough comparables" where too few sales are near, with the ones it found', async () => {
    const { status, body } = await get(
      '/valuations?city=Amersfoort&type=house&areaSqm=100&bedrooms=3&bathrooms=1&lat=52.156&lon=5.387',
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      outcome: 'insufficient-comparables',
      estimate: null,
      band: null,
      sampleSize: 1,
    });
    expect(body.comparables.map((c) => c.id)).toEqual(['amersfoort']);
  });

  it('names every missing or invalid feature in a 400', async () => {
    const { status, body } = await get<{ errors: Array<{ field: string }> }>(
      '/valuations?city=Utrecht&type=castle&areaSqm=-1&bedrooms=3&bathrooms=1&lat=52&lon=5&colour=red',
    );
    expect(status).toBe(400);
    expect(body.errors.map((e) => e.field).sort()).toEqual(['query', 'query.areaSqm', 'query.type']);
    // An empty parameter is missing, not zero.
    const empty = await get<{ errors: Array<{ field: string }> }>(
      '/valuations?city=Utrecht&type=house&areaSqm=100&bedrooms=&bathrooms=1&lat=&lon=5',
    );
    expect(empty.status).toBe(400);
    expect(empty.body.errors.map((e) => e.field).sort()).toEqual(['query.bedrooms', 'query.lat']);
  });
});
