import { projectionTopics } from '../../services/shared/projection/projection';
import { randomUUID } from 'node:crypto';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { consumerGroupLag } from '../../services/shared/projection/consumer-lag';
import { parkedMessages, replayAggregate } from '../../services/shared/projection/dlq-replay';
import { header } from '../../services/shared/kafka/relayed-message';
import type { ProjectedEvent, Projection } from '../../services/shared/projection/projection';
import { projectionConfigSchema } from '../../services/shared/projection/projection-config';
import { createProjectionDeps } from '../../services/shared/projection/projection-deps';
import { ProjectionRunner } from '../../services/shared/projection/projection-runner';
import { loadConfig } from '../../services/shared/config/load-config';
import type { PropertySearchDocument } from '../../services/search/projections/property-search-document';
import { propertySearchProjection } from '../../services/search/projections/property-search-projection';
import { stopDaemon } from '../../stack/process';
import { up } from '../../stack/stack';
import { elasticsearch } from '../../stack/components/elasticsearch';
import { listing, startPropertyService, type PropertyHarness } from '../support/property-harness';
import { ensurePipeline, kafka } from '../support/pipeline';
import { readTopicToEnd } from '../../services/shared/kafka/topic-reader';
import { waitFor, waitForValue } from '../support/wait-for';

/**
 * The property search projection against the real pipeline (service → Postgres →
 * Debezium → Kafka → runner → Elasticsearch). The projection under test gets its own
 * name, alias and consumer group, so it reads the whole topic into an index of its own.
 */
const suffix = randomUUID().slice(0, 8);
const poisoned = new Set<string>();
const projection: Projection<PropertySearchDocument> = {
  ...propertySearchProjection,
  name: `search-e2e-${suffix}`,
  alias: `properties-e2e-${suffix}`,
  apply: (current, event: ProjectedEvent) => {
    // Stands in for a projection bug that a later deploy fixes.
    if (poisoned.has(`${event.aggregateId}@${event.version}`)) throw new Error('injected handler failure');
    return propertySearchProjection.apply(current, event);
  },
};
const config = loadConfig(projectionConfigSchema, {
  ...process.env,
  LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
  PROJECTION_RETRY_MAX_MS: '2000',
});
const { deps, runnerOptions } = createProjectionDeps('search-e2e', config, propertySearchProjection.streams);
const runner = new ProjectionRunner(deps, projection, runnerOptions);
let api: PropertyHarness;

beforeAll(async () => {
  await ensurePipeline();
  api = await startPropertyService();
  await runner.start();
}, 300_000);

afterAll(async () => {
  await runner.stop();
  await api.close();
  // By name: a wildcard delete is refused where action.destructive_requires_name is on (the default).
  const indices = Object.keys(await deps.es.indices.get({ index: `${projection.alias}*` }));
  if (indices.length > 0) await deps.es.indices.delete({ index: indices });
  await deps.es.close();
});

async function docOf(id: string): Promise<PropertySearchDocument | undefined> {
  return (await runner.store.getMany([id])).get(id);
}

/** Bounded wait for the projection to hold at least `version` of a property. */
async function applied(id: string, version: number, timeoutMs = 120_000): Promise<PropertySearchDocument> {
  let last: PropertySearchDocument | undefined;
  return waitForValue(
    () => `${id} at v${version} (has v${last?.version ?? 'none'})`,
    async () => {
      last = await docOf(id);
      return last && last.version >= version ? last : undefined;
    },
    { timeoutMs, pollMs: 100 },
  );
}

async function list(): Promise<string> {
  const created = await api.call('POST', '/properties', listing());
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const reprice = (id: string, amount: number) =>
  api.call('POST', `/properties/${id}/price`, { price: { amount, currency: 'EUR' } });

describe('property search projection', () => {
  it('projects a listing and its changes, with the aggregate version on the document', async () => {
    const id = await list();
    await reprice(id, 640000);
    await api.as(api.buyer)('POST', `/properties/${id}/offers`, {
      amount: { amount: 600000, currency: 'EUR' },
    });
    const doc = await applied(id, 3);
    expect(doc).toMatchObject({
      id,
      version: 3,
      status: 'listed',
      city: 'Amsterdam',
      price: { amount: 640000, currency: 'EUR' },
      priceChangeCount: 1,
      offerCount: 1,
      location: { lat: 52.3731, lon: 4.8837 },
    });
  });

  it('parks a failing message and its aggregate’s later ones in the DLQ while others flow; replay re-drives them in order', async () => {
    const [stuck, other] = [await list(), await list()];
    await applied(stuck, 1);
    await applied(other, 1);
    poisoned.add(`${stuck}@2`);
    expect((await reprice(stuck, 630000)).status).toBe(200);
    expect((await reprice(stuck, 620000)).status).toBe(200);
    expect((await reprice(other, 610000)).status).toBe(200);

    // Other properties keep flowing past the poisoned one.
    await applied(other, 2);
    const parkedFor = async () => (await parkedMessages(kafka, projection, stuck)).map((r) => r.message);
    let parked = await parkedFor();
    await waitFor(
      () => `two parked messages of ${stuck} (has ${parked.length})`,
      async () => (parked = await parkedFor()).length >= 2,
      { timeoutMs: 60_000, pollMs: 200 },
    );
    expect(parked.map((m) => [header(m, 'aggregateVersion'), header(m, 'dlqReason')])).toEqual([
      ['2', 'handler-error'],
      ['3', 'parked-behind'],
    ]);
    expect(header(parked[0]!, 'dlqError')).toContain('injected handler failure');
    expect(header(parked[0]!, 'dlqProjection')).toBe(projection.name);
    expect(header(parked[0]!, 'dlqOriginalTopic')).toBe('property.events');
    expect(header(parked[0]!, 'dlqOriginalPartition')).toMatch(/^\d+$/);
    expect(header(parked[0]!, 'dlqOriginalOffset')).toMatch(/^\d+$/);
    expect((await docOf(stuck))?.version).toBe(1);

    // The fix is deployed; replay re-drives v2 then v3, and parking is lifted.
    poisoned.clear();
    const result = await replayAggregate(
      { ...deps, store: runner.store, parkedKeys: runner.parkedKeys },
      projection,
      stuck,
    );
    expect(result).toEqual({ aggregateId: stuck, replayed: 2 });
    expect(await docOf(stuck)).toMatchObject({ version: 3, price: { amount: 620000 }, priceChangeCount: 2 });
    expect((await reprice(stuck, 615000)).status).toBe(200);
    expect(await applied(stuck, 4)).toMatchObject({ price: { amount: 615000 } });
  });

  it('sends an undecodable message to the DLQ with headers naming the error and its origin', async () => {
    const garbageKey = randomUUID();
    const producer = kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({
      topic: 'property.events',
      messages: [
        {
          key: garbageKey,
          value: Buffer.from('not avro'),
          headers: {
            eventId: randomUUID(),
            eventType: 'PriceChanged',
            aggregateVersion: '2',
            occurredAt: new Date().toISOString(),
          },
        },
      ],
    });
    await producer.disconnect();
    const after = await list();
    await applied(after, 1);
    const parked = await waitForValue(
      `the undecodable message parked under ${garbageKey}`,
      async () => {
        const found = await parkedMessages(kafka, projection, garbageKey);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 60_000, pollMs: 200 },
    );
    expect(parked).toHaveLength(1);
    const message = parked[0]!.message;
    expect(header(message, 'dlqReason')).toBe('undecodable');
    expect(header(message, 'dlqError')).toMatch(/Confluent wire format/);
    expect(header(message, 'dlqOriginalPartition')).toBe(String(sent?.partition));
    expect(header(message, 'dlqOriginalOffset')).toBe(sent?.baseOffset);
    expect(message.value?.toString()).toBe('not avro');
  });

  it('ignores duplicates, and a full replay from offset 0 leaves every document unchanged', async () => {
    const id = await list();
    await reprice(id, 655000);
    await applied(id, 2);
    // Re-publish the property's messages as they are on the topic (same key → same partition).
    const relayed = (await messagesOnTopic(id)).map((m) => ({
      key: id,
      value: m.value,
      headers: presentHeaders(m),
    }));
    expect(relayed).toHaveLength(2);
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: 'property.events', messages: relayed });
    } finally {
      await producer.disconnect();
    }
    await reprice(id, 650000);
    expect(await applied(id, 3)).toMatchObject({
      version: 3,
      priceChangeCount: 2,
      price: { amount: 650000 },
    });

    const before = await snapshot();
    const replayer = new ProjectionRunner(deps, projection, {
      ...runnerOptions,
      groupId: `replay-${suffix}`,
    });
    await replayer.start();
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(
      'the replay to read every message',
      async () =>
        (await consumerGroupLag(admin, `replay-${suffix}`, projectionTopics(projection))).every(
          (p) => p.lag === 0,
        ),
      { timeoutMs: 180_000, pollMs: 250 },
    );
    await admin.disconnect();
    await replayer.stop();
    expect(await snapshot()).toEqual(before);
  }, 300_000);

  it('loses no event while Elasticsearch is down for 30 s', async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5].map(() => list()));
    await Promise.all(ids.map((id) => applied(id, 1)));
    await stopDaemon('elasticsearch', elasticsearch.stopSignal, 60_000);
    const outageEnds = Date.now() + 30_000;
    for (let round = 1; round <= 4; round += 1) {
      for (const id of ids) expect((await reprice(id, 650000 - round * 1000)).status).toBe(200);
    }
    // The fault lasts 30 s by design; this is the outage, not a wait for a result.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnds - Date.now())));
    await up({ quiet: true });
    for (const id of ids)
      expect(await applied(id, 5, 180_000)).toMatchObject({
        version: 5,
        priceChangeCount: 4,
        price: { amount: 646000 },
      });
  }, 400_000);
});

/** Headers as a producer can send them again (the relay sends null for absent values). */
function presentHeaders(message: KafkaMessage): IHeaders {
  return Object.fromEntries(
    Object.entries(message.headers ?? {}).filter(([, value]) => value !== null && value !== undefined),
  );
}

/** The property's messages on property.events, read from the beginning. */
async function messagesOnTopic(id: string) {
  const records = await readTopicToEnd(kafka, 'property.events');
  return records.filter((r) => r.message.key?.toString() === id).map((r) => r.message);
}

/** Every document of the index, in id order (paged with search_after). */
async function snapshot(): Promise<PropertySearchDocument[]> {
  await deps.es.indices.refresh({ index: projection.alias });
  const documents: PropertySearchDocument[] = [];
  let after: Array<string | number> | undefined;
  for (;;) {
    const page = await deps.es.search<PropertySearchDocument>({
      index: projection.alias,
      size: 5_000,
      sort: [{ id: 'asc' }],
      ...(after ? { search_after: after } : {}),
    });
    const hits = page.hits.hits;
    documents.push(...hits.map((hit) => hit._source as PropertySearchDocument));
    if (hits.length < 5_000) return documents;
    after = hits.at(-1)?.sort as Array<string | number>;
  }
}
