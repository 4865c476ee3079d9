import { projectionTopics } from '../../services/shared/projection/projection';
import { randomUUID } from 'node:crypto';
import { eventSourceOf } from '../../services/cli/projection-set';
import type { PropertySearchDocument } from '../../services/search/projections/property-search-document';
import { propertySearchProjection } from '../../services/search/projections/property-search-projection';
import { loadConfig } from '../../services/shared/config/load-config';
import { consumerGroupLag } from '../../services/shared/projection/consumer-lag';
import type { Projection } from '../../services/shared/projection/projection';
import { projectionConfigSchema } from '../../services/shared/projection/projection-config';
import { createProjectionDeps } from '../../services/shared/projection/projection-deps';
import { ProjectionRunner } from '../../services/shared/projection/projection-runner';
import { rebuildProjection } from '../../services/shared/projection/rebuild';
import { verifyProjection } from '../../services/shared/projection/verify';
import { listing, startPropertyService, type PropertyHarness } from '../support/property-harness';
import { ensurePipeline, kafka } from '../support/pipeline';
import { waitFor } from '../support/wait-for';

/** Rebuild and verify of a projection of its own (name, alias, group), on the real pipeline. */
const suffix = randomUUID().slice(0, 8);
const projection: Projection<PropertySearchDocument> = {
  ...propertySearchProjection,
  name: `ops-e2e-${suffix}`,
  alias: `properties-ops-${suffix}`,
};
const config = loadConfig(projectionConfigSchema, { ...process.env, LOG_LEVEL: 'silent' });
const { deps, runnerOptions } = createProjectionDeps('ops-e2e', config, propertySearchProjection.streams);
const runner = new ProjectionRunner(deps, projection, runnerOptions);
const source = eventSourceOf(projection);
const admin = kafka.admin();
let api: PropertyHarness;

beforeAll(async () => {
  await ensurePipeline();
  api = await startPropertyService();
  await admin.connect();
  await runner.start();
}, 300_000);

afterAll(async () => {
  await runner.stop();
  await api.close();
  await admin.disconnect();
  await source.close();
  const indices = Object.keys(await deps.es.indices.get({ index: `${projection.alias}*` }));
  if (indices.length > 0) await deps.es.indices.delete({ index: indices });
  await deps.es.close();
});

/** Waits (bounded) until the projection holds `version` of a property: the relay and the runner are asynchronous. */
async function applied(id: string, version: number): Promise<void> {
  await waitFor(
    `${id} at v${version}`,
    async () => ((await runner.store.getMany([id])).get(id)?.version ?? 0) >= version,
    { timeoutMs: 120_000, pollMs: 100 },
  );
}

/** Waits (bounded) until the live runner has consumed everything on the topic. */
async function caughtUp(): Promise<void> {
  let behind = 0;
  await waitFor(
    () => `the runner to catch up (still ${behind} behind)`,
    async () => {
      const lag = await consumerGroupLag(admin, runner.groupId, projectionTopics(projection));
      behind = lag.reduce((sum, p) => sum + p.lag, 0);
      return behind === 0;
    },
    { timeoutMs: 180_000, pollMs: 200 },
  );
}

async function allDocuments(): Promise<PropertySearchDocument[]> {
  await deps.es.indices.refresh({ index: projection.alias });
  const response = await deps.es.search<PropertySearchDocument>({
    index: projection.alias,
    size: 10_000,
    sort: [{ id: 'asc' }],
  });
  return response.hits.hits.map((hit) => hit._source as PropertySearchDocument);
}

describe('projection operations', () => {
  it('verify finds nothing on a healthy index, then finds and repairs a document edited behind its back', async () => {
    const created = await api.call('POST', '/properties', listing());
    const id = created.body.id as string;
    await api.call('POST', `/properties/${id}/price`, { price: { amount: 599000, currency: 'EUR' } });
    await applied(id, 2);
    await caughtUp();
    const healthy = await verifyProjection(deps.es, projection, source.readAll, false);
    // Parked aggregates would show as stale; a fresh projection of real events has none.
    expect(healthy.drift).toEqual([]);
    expect(healthy.documents).toBeGreaterThan(0);

    const doc = (await deps.es.get<PropertySearchDocument>({ index: projection.alias, id }))
      ._source as PropertySearchDocument;
    await deps.es.index({
      index: projection.alias,
      id,
      document: { ...doc, city: 'Tampered', bedrooms: 99 },
      refresh: true,
    });
    const drifted = await verifyProjection(deps.es, projection, source.readAll, false);
    // The edit kept the version field; the content hash gives it away.
    expect(drifted.drift).toEqual([
      { id, kind: 'stale', detail: "v2 content differs from the event store's" },
    ]);

    const repaired = await verifyProjection(deps.es, projection, source.readAll, true);
    expect(repaired.repaired).toBe(1);
    expect((await deps.es.get<PropertySearchDocument>({ index: projection.alias, id }))._source).toEqual(doc);
    expect((await verifyProjection(deps.es, projection, source.readAll, false)).drift).toEqual([]);
  });

  it('rebuild yields the same documents in a new index behind the alias, while the live one kept serving', async () => {
    await caughtUp();
    const before = await allDocuments();
    const oldIndex = Object.keys(await deps.es.indices.getAlias({ name: projection.alias }))[0];
    const report = await rebuildProjection(deps, admin, projection, { ...runnerOptions, batchSize: 2_000 });
    expect(report.oldIndex).toBe(oldIndex);
    expect(report.newIndex).not.toBe(oldIndex);
    expect(Object.keys(await deps.es.indices.getAlias({ name: projection.alias }))).toEqual([
      report.newIndex,
    ]);
    expect(await deps.es.indices.exists({ index: oldIndex as string })).toBe(false);
    expect(await allDocuments()).toEqual(before);

    // The live runner writes through the alias into the new index from now on.
    const created = await api.call('POST', '/properties', listing());
    await applied(created.body.id as string, 1);
    const live = await deps.es.get<PropertySearchDocument>(
      { index: report.newIndex, id: created.body.id as string },
      { ignore: [404] },
    );
    expect(live.found).toBe(true);
  }, 300_000);
});
