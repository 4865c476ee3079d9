import { searchService } from '../../services/search/search-service';
import { startService, type RunningService } from '../../services/shared/service/start-service';
import { listing, startPropertyService, type PropertyHarness } from '../support/property-harness';
import { ensurePipeline } from '../support/pipeline';

let api: PropertyHarness;
let search: RunningService;
let searchUrl: string;

beforeAll(async () => {
  await ensurePipeline();
  api = await startPropertyService();
  search = await startService(searchService, {
    env: { ...process.env, LOG_LEVEL: 'silent', CONSISTENCY_WAIT_MS: '30000' },
    port: 0,
  });
  searchUrl = search.url;
}, 300_000);

afterAll(async () => {
  await search.stop();
  await api.close();
});

describe('search API read-your-writes (write API → relay → projector → search)', () => {
  it('makes a just-written listing visible to a search that carries its consistency token', async () => {
    const street = `Tokenstraat ${Date.now()}`;
    const created = await api.call(
      'POST',
      '/properties',
      listing({ address: { ...listing().address, street } }),
    );
    const token = created.body.consistencyToken as string;
    const response = await fetch(`${searchUrl}/search/properties?q=${encodeURIComponent(street)}`, {
      headers: { 'X-Consistency-Token': token },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: Array<{ id: string; version: number }> };
    expect(body.items.map((i) => i.id)).toContain(created.body.id);

    const changed = await api.call('POST', `/properties/${created.body.id as string}/price`, {
      price: { amount: 500000, currency: 'EUR' },
    });
    const byId = await fetch(
      `${searchUrl}/search/properties/${created.body.id as string}?consistentWith=${encodeURIComponent(changed.body.consistencyToken as string)}`,
    );
    expect(await byId.json()).toMatchObject({ version: 2, price: { amount: 500000 } });
  });

  it('answers 503 with Retry-After when the projection cannot reach the version in time', async () => {
    // Only the API of this second instance is used: its projector is not started.
    const quick = await startService(searchService, {
      env: { ...process.env, LOG_LEVEL: 'silent', CONSISTENCY_WAIT_MS: '200' },
      port: 0,
      workers: false,
    });
    try {
      const created = await api.call('POST', '/properties', listing());
      const response = await fetch(
        `${quick.url}/search/properties?consistentWith=${created.body.id as string}@99`,
      );
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(((await response.json()) as { detail: string }).detail).toContain('version 99');
    } finally {
      await quick.stop();
    }
  });

  it('rejects a malformed consistency token with 400', async () => {
    const response = await fetch(`${searchUrl}/search/properties?consistentWith=not-a-token`);
    expect(response.status).toBe(400);
  });
});
