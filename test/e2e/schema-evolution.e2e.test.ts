import { listAsV1Service } from '../support/old-property-writer';
import { awaitProjected, projectionDrift, searchAndAnalytics } from '../support/projections-clean';
import { listing, startPropertyService, type PropertyHarness } from '../support/property-harness';
import { startSupervised, stopEveryProcess, urlOf, type Supervised } from '../support/service-processes';

/**
 * Issue 13's evolution, end to end: a listing written by the v1 service (v1 JSON in the
 * store, v1 Avro relayed to Kafka) and one written today (v2) both reach the aggregate, the
 * events endpoint, search and analytics in today's shape, and `projections verify` (the
 * events folded afresh, as a rebuild does) agrees with both read models.
 */
let readModels: Supervised;
let api: PropertyHarness;

beforeAll(async () => {
  [readModels, api] = await Promise.all([
    startSupervised({ only: ['search', 'analytics'] }),
    startPropertyService(),
  ]);
}, 240_000);

afterAll(async () => {
  await readModels?.stop();
  await stopEveryProcess();
  await api?.close();
});

describe('PropertyListed v1 and v2 side by side', () => {
  it('reads both as v2 in the aggregate, the events endpoint, search and analytics; verify agrees', async () => {
    const oldId = await listAsV1Service(api.service);
    const created = await api.call('POST', '/properties', listing());
    expect(created.status).toBe(201);
    const newId = created.body.id as string;

    for (const id of [oldId, newId]) {
      const history = await api.anonymous('GET', `/properties/${id}/events`);
      const [listed] = history.body.events as Array<{ type: string; data: Record<string, unknown> }>;
      expect(listed?.type).toBe('PropertyListed');
      expect(Object.keys(listed?.data ?? {}).sort()).toEqual(
        [
          'address',
          'areaSqm',
          'bathrooms',
          'bedrooms',
          'description',
          'listedAt',
          'listingAgent',
          'ownerId',
          'price',
          'propertyType',
        ].sort(),
      );
    }
    expect((await api.anonymous('GET', `/properties/${oldId}`)).body).toMatchObject({
      id: oldId,
      version: 1,
      status: 'listed',
      ownerId: null,
    });

    const accepted = [
      { id: oldId, version: 1 },
      { id: newId, version: 1 },
    ];
    await awaitProjected((id) => `${urlOf('search')}/search/properties/${id}`, accepted);
    await awaitProjected((id) => `${urlOf('analytics')}/analytics/properties/${id}`, accepted);
    const searched = await fetch(`${urlOf('search')}/search/properties/${oldId}`);
    expect(await searched.json()).toMatchObject({
      id: oldId,
      version: 1,
      status: 'listed',
      listingAgent: null,
    });

    expect(await projectionDrift(new Set([oldId, newId]), searchAndAnalytics)).toEqual({
      'property-search': [],
      'market-analytics': [],
    });
  }, 180_000);
});
