import { randomUUID } from 'node:crypto';
import { authConfig } from '../../shared/auth/auth-config';
import { createTokenVerifier } from '../../shared/auth/token-verifier';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { infrastructureConfig } from '../../shared/service/infrastructure';
import { HttpProblem } from '../../shared/http/problem';
import { searchApi } from './search-openapi';
import { expectServedDocumented } from '../../../test/support/openapi-contract';
import { createServiceApp } from '../../shared/http/service-app';
import { createLogger } from '../../shared/observability/logger';
import { ServiceMetrics } from '../../shared/observability/metrics';
import { propertySearchMappings, type PropertySearchDocument } from '../projections/property-search-document';
import { arcDistanceKm, type SearchResult } from './search-response';
import { searchRoutes } from './search-routes';
import { FieldCipher } from '../../shared/privacy/field-cipher';
import { MemoryKeyStore } from '../../shared/privacy/memory-key-store';
import { elasticsearchClient } from '../../shared/elasticsearch/elasticsearch-client';

const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);
// A physical index of its own: the test never touches the projection's `properties` alias.
const index = `search-routes-test-${randomUUID()}`;
const waitForToken = jest.fn(async (_token: string): Promise<void> => undefined);

const AMSTERDAM = { lat: 52.3731, lon: 4.8837 };
const ROTTERDAM = { lat: 51.9225, lon: 4.4792 };
const UTRECHT = { lat: 52.0907, lon: 5.1214 };
const cities = {
  Amsterdam: { center: AMSTERDAM, region: 'Noord-Holland', postalCode: '1015 CJ' },
  Rotterdam: { center: ROTTERDAM, region: 'Zuid-Holland', postalCode: '3011 AA' },
  Utrecht: { center: UTRECHT, region: 'Utrecht', postalCode: '3511 AB' },
};

type Row = [
  id: string,
  city: keyof typeof cities,
  type: string,
  price: number,
  bedrooms: number,
  bathrooms: number,
  status: PropertySearchDocument['status'],
  description: string | null,
  currency?: string,
];

// listedAt follows the id (p01 oldest), and each property sits a little further from its city centre.
const rows: Row[] = [
  ['p01', 'Amsterdam', 'apartment', 450_000, 2, 1, 'listed', 'Bright apartment with a canal view'],
  ['p02', 'Amsterdam', 'house', 950_000, 4, 2, 'listed', 'Family house near the Vondelpark'],
  ['p03', 'Amsterdam', 'condo', 450_000, 2, 2, 'reserved', 'Modern condo with a roof terrace'],
  ['p04', 'Amsterdam', 'apartment', 300_000, 1, 1, 'sold', null],
  ['p05', 'Rotterdam', 'house', 600_000, 3, 2, 'listed', 'House with a harbour view'],
  ['p06', 'Rotterdam', 'apartment', 250_000, 1, 1, 'listed', 'Compact studio apartment'],
  ['p07', 'Rotterdam', 'townhouse', 525_000, 3, 1, 'withdrawn', 'Townhouse with a garden'],
  ['p08', 'Rotterdam', 'commercial', 1_200_000, 0, 1, 'listed', 'Shop floor on the main street'],
  ['p09', 'Utrecht', 'house', 700_000, 5, 3, 'listed', 'Detached house on a quiet canal'],
  ['p10', 'Utrecht', 'apartment', 350_000, 2, 1, 'reserved', null],
  ['p11', 'Utrecht', 'land', 150_000, 0, 0, 'listed', 'Building plot'],
  ['p12', 'Utrecht', 'condo', 400_000, 2, 2, 'listed', 'Condo near the station', 'USD'],
];

const documents: PropertySearchDocument[] = rows.map(
  ([id, city, type, amount, bedrooms, bathrooms, status, description, currency = 'EUR'], i) => {
    const { center, region, postalCode } = cities[city];
    const n = Number(id.slice(1));
    const street = `Teststraat ${n}`;
    const listedAt = new Date(Date.UTC(2026, 0, n, 12)).toISOString();
    return {
      id,
      version: 1,
      status,
      street,
      city,
      postalCode,
      region,
      country: 'NL',
      address: `${street}, ${postalCode} ${city}, ${region}, NL`,
      location: { lat: center.lat + 0.002 * (i + 1), lon: center.lon },
      price: { amount, currency },
      bedrooms,
      bathrooms,
      areaSqm: 50 + n * 10,
      type,
      description,
      listedAt,
      updatedAt: listedAt,
      priceChangeCount: 0,
      offerCount: 0,
      agentId: null,
      agency: null,
      agentName: null,
    };
  },
);

/** Listing agents' keys: agent-a's stays, agent-b is erased before the first search. */
const keys = new MemoryKeyStore();
const cipher = new FieldCipher(keys);

const app = (alias: string) =>
  createServiceApp({
    logger: createLogger('search-test', 'silent'),
    metrics: new ServiceMetrics('search-test'),
    verifier: createTokenVerifier(authConfig()),
    readiness: async () => ({ ready: true, checks: {} }),
    details: async () => ({}),
    api: searchApi,
    routes: searchRoutes({ es, alias, waitForToken, cipher }),
  });

const servers: Server[] = [];
async function listen(alias: string): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const s = app(alias).listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let base: string;
beforeAll(async () => {
  // p01 and p02 listed by agent-a, p03 by agent-b (erased below: their key destroyed).
  for (const [id, agentId, agency] of [
    ['p01', 'agent-a', 'Grachten Makelaars'],
    ['p02', 'agent-a', 'Grachten Makelaars'],
    ['p03', 'agent-b', 'Polder Wonen'],
  ] as const) {
    await keys.ensureKey(agentId);
    Object.assign(byId(id), {
      agentId,
      agency,
      agentName: await cipher.encrypt(
        agentId,
        'name',
        agentId === 'agent-a' ? 'Anouk de Makelaar' : 'Bram Weg',
      ),
    });
  }
  await keys.destroySubject('agent-b');
  await es.indices.create({
    index,
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: propertySearchMappings,
  });
  await es.bulk({
    refresh: true,
    operations: documents.flatMap((doc) => [{ index: { _index: index, _id: doc.id } }, doc]),
  });
  base = await listen(index);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await es.indices.delete({ index, ignore_unavailable: true });
  await es.close();
});

beforeEach(() => waitForToken.mockClear());

interface Answer<T> {
  status: number;
  contentType: string | null;
  body: T;
}

async function get<T = SearchResult>(path: string, headers: Record<string, string> = {}): Promise<Answer<T>> {
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
    body,
  };
}

async function search(query: string): Promise<SearchResult> {
  const answer = await get(`/search/properties${query ? `?${query}` : ''}`);
  expect(answer.status).toBe(200);
  return answer.body;
}

const ids = async (query: string) => (await search(query)).items.map((item) => item.id);
const byId = (id: string) => documents.find((d) => d.id === id) as PropertySearchDocument;
/** A document as the API answers it, for a listing without an agent. */
const answered = (id: string) => {
  const { agentId: _id, agency: _agency, agentName: _name, ...rest } = byId(id);
  return { ...rest, listingAgent: null };
};

describe('GET /search/properties: listing agents', () => {
  it("shows the agent's public card, decrypted now; an erased agent's card reads erased", async () => {
    const result = (
      await get<{ items: Array<{ id: string; listingAgent: unknown }> }>(
        '/search/properties?city=Amsterdam&sort=listedAt',
      )
    ).body;
    const cards = Object.fromEntries(result.items.map((item) => [item.id, item.listingAgent]));
    expect(cards).toMatchObject({
      p01: { agentId: 'agent-a', name: 'Anouk de Makelaar', agency: 'Grachten Makelaars', erased: false },
      p02: { agentId: 'agent-a', name: 'Anouk de Makelaar', agency: 'Grachten Makelaars', erased: false },
      p03: { agentId: 'agent-b', name: null, agency: null, erased: true },
    });
    expect(JSON.stringify(result)).not.toContain('Bram');
    expect(JSON.stringify(result)).not.toContain('ciphertext');
  });

  it('filters by agency (whole name, any case) and by agent', async () => {
    expect(await ids('agency=grachten%20makelaars&sort=listedAt')).toEqual(['p01', 'p02']);
    expect(await ids('agent=agent-b')).toEqual(['p03']);
    expect(await ids('agency=Grachten')).toEqual([]);
  });
});

describe('GET /search/properties: filters', () => {
  it('without parameters: every property, newest first, exact total', async () => {
    const result = await search('');
    expect(result.total).toBe(12);
    expect(result.items.map((i) => i.id)).toEqual(documents.map((d) => d.id).reverse());
    expect(result.items[0]).toEqual(answered('p12'));
    expect(result.nextCursor).toBeNull();
  });

  it('q matches address, street, city, region and description as plain words', async () => {
    expect((await ids('q=canal')).sort()).toEqual(['p01', 'p09']);
    expect((await ids('q=rotterdam&sort=price')).sort()).toEqual(['p05', 'p06', 'p07', 'p08']);
    expect((await ids('q=Teststraat%207')).sort()).toContain('p07');
    expect(await ids('q=noord-holland&sort=price')).toEqual(['p04', 'p01', 'p03', 'p02']);
    expect(await ids('q=harbour%20view')).toEqual(['p05']);
  });

  it('q with query syntax is literal text: no error, no injected clauses', async () => {
    const result = await search(`q=${encodeURIComponent('price:>1 AND (x')}`);
    expect(result.total).toBe(0);
    // As syntax this would match every canal and every house; as words nothing holds "or".
    expect(await ids(`q=${encodeURIComponent('canal OR house*')}`)).toEqual([]);
    // As syntax, "-view" would exclude p01 and keep p09; as words it needs both "canal" and "view".
    expect(await ids(`q=${encodeURIComponent('"canal" -view')}`)).toEqual(['p01']);
  });

  it('minPrice and maxPrice bound price.amount inclusively', async () => {
    expect(await ids('minPrice=400000&maxPrice=600000&sort=price')).toEqual([
      'p12',
      'p01',
      'p03',
      'p07',
      'p05',
    ]);
    expect(await ids('minPrice=950000&sort=price')).toEqual(['p02', 'p08']);
    expect(await ids('maxPrice=250000&sort=price')).toEqual(['p11', 'p06']);
  });

  it('currency filters on price.currency', async () => {
    expect(await ids('currency=USD')).toEqual(['p12']);
    expect(await ids('currency=usd')).toEqual(['p12']);
    expect((await search('currency=EUR')).total).toBe(11);
  });

  it('minBedrooms and minBathrooms are lower bounds', async () => {
    expect((await ids('minBedrooms=3')).sort()).toEqual(['p02', 'p05', 'p07', 'p09']);
    expect((await ids('minBathrooms=2')).sort()).toEqual(['p02', 'p03', 'p05', 'p09', 'p12']);
    expect(await ids('minBedrooms=3&minBathrooms=3')).toEqual(['p09']);
  });

  it('status and type take one or comma-separated values', async () => {
    expect((await ids('status=reserved,sold')).sort()).toEqual(['p03', 'p04', 'p10']);
    expect(await ids('status=withdrawn')).toEqual(['p07']);
    expect((await ids('type=house')).sort()).toEqual(['p02', 'p05', 'p09']);
    expect((await ids('type=condo,land')).sort()).toEqual(['p03', 'p11', 'p12']);
    expect((await ids('type=condo&type=land')).sort()).toEqual(['p03', 'p11', 'p12']);
  });

  it('city is exact but case-insensitive', async () => {
    for (const city of ['Amsterdam', 'amsterdam', 'AMSTERDAM']) {
      expect((await ids(`city=${city}`)).sort()).toEqual(['p01', 'p02', 'p03', 'p04']);
    }
    expect(await ids('city=Amster')).toEqual([]);
  });

  it('filters combine', async () => {
    expect(await ids('city=utrecht&status=listed&minBedrooms=1&sort=price')).toEqual(['p12', 'p09']);
  });

  it('radiusKm keeps what lies within that distance of lat/lon, each with its distanceKm', async () => {
    const result = await search(`lat=${AMSTERDAM.lat}&lon=${AMSTERDAM.lon}&radiusKm=10&sort=price`);
    expect(result.items.map((i) => i.id)).toEqual(['p04', 'p01', 'p03', 'p02']);
    for (const item of result.items) {
      expect(item.distanceKm).toBeCloseTo(arcDistanceKm(AMSTERDAM, item.location), 2);
      expect(item.distanceKm).toBeLessThanOrEqual(10);
    }
    // Utrecht is ~35 km from Amsterdam, Rotterdam ~57 km.
    expect((await search(`lat=${AMSTERDAM.lat}&lon=${AMSTERDAM.lon}&radiusKm=45`)).total).toBe(8);
  });
});

describe('GET /search/properties: sorts', () => {
  const byPriceThenId = [...documents].sort(
    (a, b) => a.price.amount - b.price.amount || a.id.localeCompare(b.id),
  );

  it('price and -price, ties broken by id', async () => {
    expect(await ids('sort=price')).toEqual(byPriceThenId.map((d) => d.id));
    const desc = [...documents].sort((a, b) => b.price.amount - a.price.amount || a.id.localeCompare(b.id));
    expect(await ids('sort=-price')).toEqual(desc.map((d) => d.id));
    // p01 and p03 share a price: the id keeps them in one order both ways.
    expect((await ids('sort=-price')).filter((id) => id === 'p01' || id === 'p03')).toEqual(['p01', 'p03']);
  });

  it('listedAt and -listedAt', async () => {
    expect(await ids('sort=listedAt')).toEqual(documents.map((d) => d.id));
    expect(await ids('sort=-listedAt')).toEqual(documents.map((d) => d.id).reverse());
  });

  it('relevance (the default with q) ranks by score and reports it', async () => {
    const result = await search('q=canal%20view');
    expect(result.items.map((i) => i.id)).toEqual(['p01']);
    const broad = await search('q=house');
    expect(broad.items.length).toBeGreaterThan(1);
    const scores = broad.items.map((i) => i.score as number);
    expect(scores.every((s) => typeof s === 'number' && s > 0)).toBe(true);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(await ids('q=house&sort=relevance')).toEqual(broad.items.map((i) => i.id));
    // Another sort with q: no scores.
    expect((await search('q=house&sort=price')).items.every((i) => i.score === undefined)).toBe(true);
  });

  it('distance: nearest first, with distanceKm from Elasticsearch', async () => {
    const result = await search(`lat=${AMSTERDAM.lat}&lon=${AMSTERDAM.lon}&radiusKm=100&sort=distance`);
    const expected = [...documents]
      .map((d) => ({ id: d.id, km: arcDistanceKm(AMSTERDAM, d.location) }))
      .sort((a, b) => a.km - b.km);
    expect(result.items.map((i) => i.id)).toEqual(expected.map((e) => e.id));
    expect(result.items.map((i) => i.city)).toEqual([
      ...Array(4).fill('Amsterdam'),
      ...Array(4).fill('Utrecht'),
      ...Array(4).fill('Rotterdam'),
    ]);
    result.items.forEach((item, i) => expect(item.distanceKm).toBeCloseTo(expected[i]?.km as number, 1));
    expect(result.items[4]?.distanceKm).toBeGreaterThan(30);
  });
});

describe('GET /search/properties: cursor pagination', () => {
  it.each(['price', '-price', 'listedAt', `distance&lat=${UTRECHT.lat}&lon=${UTRECHT.lon}&radiusKm=500`])(
    'sort=%s: three pages, no duplicates, no gaps',
    async (sort) => {
      const all = await ids(`sort=${sort}&limit=100`);
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const page: SearchResult = await search(`sort=${sort}&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.total).toBe(12);
        pages.push(page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor && pages.length < 5);
      expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
      expect(pages.flat()).toEqual(all);
      expect(new Set(pages.flat()).size).toBe(12);
    },
  );

  it('relevance pages too, and an exactly full last page has no next cursor', async () => {
    const first = await search('q=house&limit=2');
    const second = await search(`q=house&limit=2&cursor=${first.nextCursor}`);
    const everything = await ids('q=house&limit=100');
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(everything.slice(0, 4));
    const exact = await search('city=amsterdam&limit=4');
    expect(exact.items).toHaveLength(4);
    expect(exact.nextCursor).toBeNull();
  });

  it('a cursor for another sort, or a malformed one, is a 400 naming cursor', async () => {
    const first = await search('sort=price&limit=2');
    for (const query of [`sort=-price&cursor=${first.nextCursor}`, 'cursor=bm9wZQ', 'cursor=%25%25']) {
      const answer = await get<{ errors: Array<{ field: string }> }>(`/search/properties?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e) => e.field)).toEqual(['query.cursor']);
    }
  });
});

describe('GET /search/properties: facets', () => {
  it('counts by type, bedrooms and price buckets over every match', async () => {
    const { facets } = await search('priceInterval=500000');
    expect(facets.type).toEqual([
      { value: 'apartment', count: 4 },
      { value: 'house', count: 3 },
      { value: 'condo', count: 2 },
      { value: 'commercial', count: 1 },
      { value: 'land', count: 1 },
      { value: 'townhouse', count: 1 },
    ]);
    expect(facets.bedrooms).toEqual([
      { value: 0, count: 2 },
      { value: 1, count: 2 },
      { value: 2, count: 4 },
      { value: 3, count: 2 },
      { value: 4, count: 1 },
      { value: 5, count: 1 },
    ]);
    expect(facets.price).toEqual([
      { from: 0, to: 500_000, count: 7 },
      { from: 500_000, to: 1_000_000, count: 4 },
      { from: 1_000_000, to: 1_500_000, count: 1 },
    ]);
  });

  it('follow the filters, and default to 100000-wide non-empty price buckets', async () => {
    const { facets, total } = await search('city=Utrecht&limit=1');
    expect(total).toBe(4);
    expect(facets.type.map((f) => [f.value, f.count]).sort()).toEqual([
      ['apartment', 1],
      ['condo', 1],
      ['house', 1],
      ['land', 1],
    ]);
    expect(facets.bedrooms).toEqual([
      { value: 0, count: 1 },
      { value: 2, count: 2 },
      { value: 5, count: 1 },
    ]);
    expect(facets.price).toEqual([
      { from: 100_000, to: 200_000, count: 1 },
      { from: 300_000, to: 400_000, count: 1 },
      { from: 400_000, to: 500_000, count: 1 },
      { from: 700_000, to: 800_000, count: 1 },
    ]);
  });
});

describe('GET /search/properties: bad requests', () => {
  it('one 400 problem names each bad parameter', async () => {
    const answer = await get<{ status: number; errors: Array<{ field: string; message: string }> }>(
      '/search/properties?limit=0&minPrice=cheap&status=gone&type=castle&sort=up&priceInterval=0&currency=euro&minBedrooms=1.5&city=',
    );
    expect(answer.status).toBe(400);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body.errors.map((e) => e.field).sort()).toEqual(
      [
        'query.city',
        'query.currency',
        'query.limit',
        'query.minBedrooms',
        'query.minPrice',
        'query.priceInterval',
        'query.sort',
        'query.status',
        'query.type',
      ].sort(),
    );
  });

  it.each([
    ['minPrice=5&maxPrice=1', ['query.minPrice', 'query.maxPrice']],
    ['lat=52', ['query.lon', 'query.radiusKm']],
    ['sort=distance', ['query.sort']],
    ['sort=relevance', ['query.sort']],
    ['limit=101', ['query.limit']],
    ['bogus=1', ['query']],
  ])('%s → %j', async (query, fields) => {
    const answer = await get<{ errors: Array<{ field: string }>; detail: string }>(
      `/search/properties?${query}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e) => e.field)).toEqual(fields);
    if (query.startsWith('bogus')) expect(answer.body.detail).toContain('"bogus"');
  });
});

describe('consistency tokens', () => {
  it('are awaited before searching, from the header or from consistentWith', async () => {
    await search('consistentWith=p01%402');
    expect(waitForToken).toHaveBeenCalledWith('p01@2');
    const answer = await get('/search/properties', { 'X-Consistency-Token': 'p02@3' });
    expect(answer.status).toBe(200);
    expect(waitForToken).toHaveBeenLastCalledWith('p02@3');
    await search('');
    expect(waitForToken).toHaveBeenCalledTimes(2);
  });

  it('two different tokens are a 400; a timeout problem from waitForToken propagates', async () => {
    const conflicting = await get<{ errors: Array<{ field: string }> }>(
      '/search/properties?consistentWith=a%401',
      {
        'X-Consistency-Token': 'b@1',
      },
    );
    expect(conflicting.status).toBe(400);
    expect(conflicting.body.errors.map((e) => e.field)).toEqual([
      'header.X-Consistency-Token',
      'query.consistentWith',
    ]);
    // As waitForAppliedVersion times out: a 503 with Retry-After (which the document promises).
    waitForToken.mockRejectedValueOnce(
      new HttpProblem(503, 'Not yet consistent', 'timed out', {}, undefined, { 'Retry-After': '1' }),
    );
    const timedOut = await get<{ status: number }>('/search/properties/p01?consistentWith=p01%409');
    expect(timedOut.status).toBe(503);
  });
});

describe('GET /search/properties/:id', () => {
  it('returns the document, honouring a token', async () => {
    const answer = await get<PropertySearchDocument>('/search/properties/p05', {
      'X-Consistency-Token': 'p05@1',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(answered('p05'));
    expect(waitForToken).toHaveBeenCalledWith('p05@1');
  });

  it('is a 404 problem for a missing id, and a 400 for unknown parameters', async () => {
    const missing = await get<{ status: number; detail: string }>('/search/properties/nope');
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/problem+json');
    expect(missing.body.detail).toContain('nope');
    expect((await get('/search/properties/p01?x=1')).status).toBe(400);
  });

  it('answers 503, not 500, while the index does not exist', async () => {
    const other = await listen(`search-routes-missing-${randomUUID()}`);
    const search = await fetch(`${other}/search/properties`);
    expect(search.status).toBe(503);
    expect(search.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${other}/search/properties/p01`)).status).toBe(503);
  });
});
