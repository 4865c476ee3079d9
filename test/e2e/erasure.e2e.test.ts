import { randomInt, randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kysely } from 'kysely';
import { runPrivacyCli } from '../../services/cli/privacy-cli';
import { peopleService, type PeopleInternals } from '../../services/people/people-service';
import type { PeopleConfig } from '../../services/people/people-config';
import type { AgentCardTables } from '../../services/property/agent-cards-table';
import { agentCardOf } from '../../services/property/handlers/agent-cards';
import { searchApi } from '../../services/search/api/search-openapi';
import { searchRoutes } from '../../services/search/api/search-routes';
import { propertySearchProjection } from '../../services/search/projections/property-search-projection';
import { searchConfig } from '../../services/search/search-config';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { loadConfig } from '../../services/shared/config/load-config';
import { createDatabase } from '../../services/shared/db/database';
import { CachingKeyStore } from '../../services/shared/privacy/caching-key-store';
import { ErasureMatcher, type FormerValue } from '../../services/shared/privacy/erasure-fingerprint';
import { FieldCipher } from '../../services/shared/privacy/field-cipher';
import { KEYSTORE_SCHEMA } from '../../services/shared/privacy/keystore-tables';
import { PostgresKeyStore } from '../../services/shared/privacy/postgres-key-store';
import { masterKeyOf } from '../../services/shared/privacy/privacy-config';
import { describeFinding } from '../../services/shared/privacy/scan/finding';
import { verifyErasure } from '../../services/shared/privacy/scan/verify-erasure';
import { createProjectionDeps } from '../../services/shared/projection/projection-deps';
import { projectionConfigSchema } from '../../services/shared/projection/projection-config';
import { readModelService } from '../../services/shared/projection/read-model-service';
import { rebuildProjection } from '../../services/shared/projection/rebuild';
import { startService, type RunningService } from '../../services/shared/service/start-service';
import { freshUser, type Identity } from '../support/identities';
import { waitFor, waitForValue } from '../support/wait-for';
import { ensurePipeline, kafka } from '../support/pipeline';
import {
  jsonClient,
  listing,
  startPropertyService,
  type Call,
  type PropertyHarness,
} from '../support/property-harness';
import { elasticsearchClient } from '../../services/shared/elasticsearch/elasticsearch-client';

/**
 * Issue 13's erasure, end to end on the real pipeline: an agent with unique personal
 * values registers (People service), lists properties (their card travels in
 * PropertyListed v2, learned by the property service from people.events), is erased;
 * then nothing anywhere shows or holds their values in the clear — not before the
 * erasure (every copy is encrypted) and not after it (the key is gone) — and a projection
 * rebuilt from the beginning of the topic after the erasure shows nothing either.
 */
const config = infrastructureConfig();
const run = randomUUID().slice(0, 8);
// The personal values share no word with the run's names (projection, index, DLQ headers).
const tag = randomUUID().slice(0, 8);
const plain = {
  name: `Erasmus Wisselaar ${tag}`,
  email: `erasmus.${tag}@example.org`,
  phone: `+31 6 ${String(randomInt(10_000_000, 99_999_999))}`,
  licenceNumber: `ERS-${tag.toUpperCase()}`,
};
// The agency (a business, in the clear) shares no word with the agent's name.
const agency = `Vergeet Makelaars ${randomUUID().slice(0, 8)}`;
const formerValues: FormerValue[] = [
  { field: 'name', kind: 'name', value: plain.name },
  { field: 'email', kind: 'email', value: plain.email },
  { field: 'phone', kind: 'phone', value: plain.phone },
  { field: 'licenceNumber', kind: 'identifier', value: plain.licenceNumber },
];

/** A search read model of this test's own (its own group, index and alias), keys cached 1 s. */
const projection = { ...propertySearchProjection, name: `erasure-e2e-${run}`, alias: `erasure-e2e-${run}` };
const searchReadModel = readModelService({
  service: 'search',
  summary: 'erasure e2e search',
  api: searchApi,
  projection,
  loadConfig: searchConfig,
  port: () => 0,
  routes: ({ es, waitForToken, runtime, config: searchSettings }) =>
    searchRoutes({
      es,
      alias: projection.alias,
      waitForToken,
      cipher: new FieldCipher(
        new CachingKeyStore(
          new PostgresKeyStore(runtime.database<unknown>(KEYSTORE_SCHEMA, 2), masterKeyOf(searchSettings)),
          { ttlMs: searchSettings.KEYSTORE_CACHE_TTL_MS, maxKeys: 100 },
        ),
      ),
    }),
});
const KEY_CACHE_MS = 1_000;

let people: RunningService<PeopleConfig, PeopleInternals>;
let property: PropertyHarness;
let search: RunningService;
let db: Kysely<AgentCardTables>;
let es: Client;
let agent: Identity;
let asAgent: Call;
const listed: Array<{ id: string; token: string }> = [];

beforeAll(async () => {
  await ensurePipeline();
  es = elasticsearchClient(config.ELASTICSEARCH_URL);
  db = createDatabase<AgentCardTables>({
    connectionString: config.DATABASE_URL,
    maxConnections: 2,
  }).withSchema('property');
  people = await startService(peopleService, {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    port: 0,
    workers: false,
  });
  await people.internals.codec.registerAll();
  property = await startPropertyService({ workers: true, env: { PROPERTY_SNAPSHOT_EVERY: '0' } });
  search = await startService(searchReadModel, {
    env: {
      ...process.env,
      LOG_LEVEL: 'silent',
      CONSISTENCY_WAIT_MS: '60000',
      KEYSTORE_CACHE_TTL_MS: String(KEY_CACHE_MS),
    },
    port: 0,
  });
  agent = await freshUser('agent');
  asAgent = property.as(agent);
}, 300_000);

afterAll(async () => {
  await search?.stop();
  await property?.close();
  await people?.stop();
  await es?.indices.delete({ index: `${projection.alias}-*`, ignore_unavailable: true });
  // What this projection parked (a poison message other tests left on the topic) goes too.
  const parked = await es?.search(
    {
      index: 'deedstream-projection-parking',
      query: { term: { projection: projection.name } },
      size: 100,
      _source: false,
    },
    { ignore: [404] },
  );
  for (const hit of parked?.hits?.hits ?? []) {
    if (hit._id) await es?.delete({ index: 'deedstream-projection-parking', id: hit._id }, { ignore: [404] });
  }
  await es?.close();
  await db?.destroy();
});

interface SearchItem {
  id: string;
  listingAgent: { agentId: string; name: string | null; agency: string | null; erased: boolean } | null;
}
const searchUrl = (query: string) => `${search.url}/search/properties?${query}`;
async function searchByAgent(
  headers: Record<string, string> = {},
): Promise<{ text: string; items: SearchItem[] }> {
  const response = await fetch(searchUrl(`agent=${encodeURIComponent(agent.subject)}&sort=listedAt`), {
    headers,
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, items: (JSON.parse(text) as { items: SearchItem[] }).items };
}

/** Every place a former value is readable in Postgres (every table), Kafka (every topic) and Elasticsearch (every index). */
async function readableEverywhere(): Promise<string[]> {
  const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
  const scanDb = createDatabase<unknown>({ connectionString: config.DATABASE_URL, maxConnections: 2 });
  try {
    const report = await verifyErasure(
      { db: scanDb, kafka, es, decoder: (bytes) => registry.decode(bytes) as Promise<unknown> },
      ErasureMatcher.forPlainValues(formerValues),
    );
    return report.readable.map(describeFinding);
  } finally {
    await scanDb.destroy();
  }
}

const noPlaintext = (text: string) => {
  for (const value of Object.values(plain)) expect(text).not.toContain(value);
};

describe('erasing a listing agent (issue 13)', () => {
  it('carries the agent card, encrypted, from the profile into the listing and the read models', async () => {
    const registered = await jsonClient(people.url, agent)('PUT', '/people/me', { ...plain, agency });
    expect(registered.status).toBe(201);

    for (const street of ['Vergeetstraat 1', 'Vergeetstraat 2']) {
      // The profile's token makes the listing wait until the property service has the card.
      const created = await asAgent(
        'POST',
        '/properties',
        listing({ address: { ...listing().address, street } }),
        {
          'X-Consistency-Token': registered.body.consistencyToken as string,
        },
      );
      expect(created.status).toBe(201);
      listed.push({ id: created.body.id as string, token: created.body.consistencyToken as string });
    }
    const state = await property.anonymous('GET', `/properties/${listed[0]?.id}`);
    expect(state.body.listingAgent).toEqual({
      agentId: agent.subject,
      name: plain.name,
      agency,
      erased: false,
    });
    const events = await property.anonymous('GET', `/properties/${listed[0]?.id}/events`);
    noPlaintext(JSON.stringify(events.body));

    const found = await searchByAgent({ 'X-Consistency-Token': listed[1]?.token ?? '' });
    expect(found.items.map((item) => item.id)).toEqual(listed.map((l) => l.id));
    for (const item of found.items) {
      expect(item.listingAgent).toEqual({ agentId: agent.subject, name: plain.name, agency, erased: false });
    }
    const byAgency = await fetch(searchUrl(`agency=${encodeURIComponent(agency.toLowerCase())}`));
    expect(((await byAgency.json()) as { total: number }).total).toBe(2);
  }, 120_000);

  it('holds no personal value in the clear anywhere before the erasure: events, outboxes, Kafka, indices', async () => {
    // The outbox rows are relayed (the card reached the property service; the listings the index).
    expect(await readableEverywhere()).toEqual([]);
  }, 120_000);

  it('erases: verify-erased passes, the read models show no name, e-mail or phone', async () => {
    const erased = await jsonClient(people.url, agent)('DELETE', `/people/${agent.subject}`);
    expect(erased.status).toBe(200);
    // Gone to the person themselves; to anyone else, as unknown as a never-registered id.
    expect((await jsonClient(people.url, agent)('GET', `/people/${agent.subject}`)).status).toBe(410);
    expect((await jsonClient(people.url)('GET', `/people/${agent.subject}`)).status).toBe(404);

    // The property service forgets the card (and the cached key) when PersonErased arrives.
    await waitFor(
      'the property service to drop the agent card',
      async () => (await agentCardOf(db, agent.subject)) === null,
      60_000,
    );
    for (const { id } of listed) {
      const state = await property.anonymous('GET', `/properties/${id}`);
      expect(state.body.listingAgent).toEqual({
        agentId: agent.subject,
        name: null,
        agency: null,
        erased: true,
      });
      noPlaintext(JSON.stringify(state.body));
    }
    // Search holds no copy to scrub; its key cache forgets within KEYSTORE_CACHE_TTL_MS.
    const afterWindow = await waitForValue(
      'search to show the card erased',
      async () => {
        const answer = await searchByAgent();
        return answer.items.every((item) => item.listingAgent?.erased) ? answer : undefined;
      },
      KEY_CACHE_MS + 10_000,
    );
    expect(afterWindow.items).toHaveLength(2);
    noPlaintext(afterWindow.text);
    const document = await fetch(`${search.url}/search/properties/${listed[0]?.id}`);
    noPlaintext(await document.text());

    const verified = runPrivacyCli(['verify-erased', agent.subject]);
    expect(verified.out).toMatch(
      new RegExp(
        `${agent.subject}: 0 place\\(s\\) with a former value readable, 0 with a word of a former name`,
      ),
    );
    expect(verified.status).toBe(0);
    expect(await readableEverywhere()).toEqual([]);
  }, 180_000);

  it('shows nothing of the agent after a rebuild of the projection from the beginning of the topic', async () => {
    const { deps, runnerOptions } = createProjectionDeps(
      'erasure-e2e-rebuild',
      loadConfig(projectionConfigSchema, { ...process.env, LOG_LEVEL: 'warn' }),
      projection.streams,
    );
    const admin = deps.kafka.admin();
    await admin.connect();
    try {
      const report = await rebuildProjection(deps, admin, projection, runnerOptions);
      expect(report.documents).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.disconnect();
      await deps.es.close();
    }
    const rebuilt = await searchByAgent();
    expect(rebuilt.items.map((item) => item.listingAgent)).toEqual([
      { agentId: agent.subject, name: null, agency: null, erased: true },
      { agentId: agent.subject, name: null, agency: null, erased: true },
    ]);
    noPlaintext(rebuilt.text);
    expect(await readableEverywhere()).toEqual([]);
  }, 180_000);
});
