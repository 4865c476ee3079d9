import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { feedsDir } from '../../stack/components/connect';
import { peopleService } from '../../services/people/people-service';
import type { Kysely } from 'kysely';
import type { AgentCardTables } from '../../services/property/agent-cards-table';
import { feedPropertyId } from '../../services/property/feeds/feed-property-id';
import type { FeedTables } from '../../services/property/feeds/feed-records-table';
import { searchService } from '../../services/search/search-service';
import { applyConnector } from '../../services/shared/connect/connector-deployment';
import { resolveConnectorFile, templateStore } from '../../services/shared/connect/connector-file';
import { createDatabase } from '../../services/shared/db/database';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { startService, type RunningService } from '../../services/shared/service/start-service';
import { freshUser, type Identity } from '../support/identities';
import { connect, connectorStateDir, ensurePipeline, kafka, readUntil } from '../support/pipeline';
import { jsonClient, startPropertyService, type PropertyHarness } from '../support/property-harness';
import { waitFor } from '../support/wait-for';

const repoRoot = path.resolve(__dirname, '../..');
const sample = path.join(repoRoot, 'feeds', 'sample_mls');

/** `npm run feeds -- …` as a person runs it. */
function feedsCli(args: string[]): { status: number; out: string; err: string } {
  const run = spawnSync(path.join(repoRoot, 'node_modules/.bin/tsx'), ['services/cli/feeds.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status ?? -1, out: run.stdout, err: run.stderr };
}

// A source of this run's own (its topic, connector, feed file and importer), so the sample's
// ListingKeys name properties no earlier run made, and the report counts this run alone.
const run = randomUUID().replace(/-/g, '').slice(0, 8);
const source = `e2e_${run}`;
const topic = `listing-feed.${source}`;
const connectorName = `listing-feed-e2e-${run}`;
const owner = createDatabase<unknown>({
  connectionString: infrastructureConfig().DATABASE_URL,
  maxConnections: 2,
});
/** The property schema read as its owner: what the importer recorded, and the agents' cards. */
const propertyTables = owner.withSchema('property') as unknown as Kysely<FeedTables & AgentCardTables>;
let property: PropertyHarness;
let people: RunningService;
let search: RunningService;
let agent: Identity;
let tmp: string;

/** The sample file with the platform agent's email swapped for this run's agent's. */
function sampleFor(file: string): string {
  const text = fs
    .readFileSync(path.join(sample, file), 'utf8')
    .replaceAll('agent1@deedstream.test', agentEmail());
  const copy = path.join(tmp, file);
  fs.writeFileSync(copy, text);
  return copy;
}
const agentEmail = () => `${agent.subject}@agents.example.test`;

async function recordsDone(): Promise<number> {
  const rows = await propertyTables
    .selectFrom('feed_records')
    .select((eb) => eb.fn.countAll<string>().as('records'))
    .where('source', '=', source)
    .executeTakeFirstOrThrow();
  return Number(rows.records);
}

interface Report {
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  reasons: Record<string, number>;
}
function report(): Report {
  const answer = feedsCli(['report', source, '--json']);
  expect(answer).toMatchObject({ status: 0, err: '' });
  return (JSON.parse(answer.out) as Record<string, Report>)[source] as Report;
}

beforeAll(async () => {
  await ensurePipeline();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deedstream-feeds-e2e-'));
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [topic, `${topic}.dlq`].map((name) => ({ topic: name, numPartitions: 1, replicationFactor: 1 })),
  });
  await admin.disconnect();
  const definition = resolveConnectorFile(
    connectorName,
    { name: connectorName, template: 'listing-feed', variables: { source } },
    templateStore(),
  );
  await applyConnector(connect, owner, { ...definition, file: connectorName }, connectorStateDir);
  property = await startPropertyService({ workers: true, env: { LISTING_FEED_SOURCES: source } });
  const env = { ...process.env, LOG_LEVEL: 'silent' };
  people = await startService(peopleService, { env, port: 0 });
  search = await startService(searchService, { env, port: 0 });
  // The agent the feed names, with a profile: the property service learns their card from people.events.
  agent = await freshUser('agent');
  const profile = await jsonClient(people.url, agent)('PUT', '/people/me', {
    name: 'Anna Agent',
    email: agentEmail(),
    agency: 'Deedstream Makelaars',
  });
  expect(profile.status).toBe(201);
  await waitFor(`the property service's card of agent ${agent.subject}`, async () => {
    const card = await propertyTables
      .selectFrom('agent_cards')
      .select('agent_id')
      .where('agent_id', '=', agent.subject)
      .executeTakeFirst();
    return card !== undefined;
  });
}, 300_000);

afterAll(async () => {
  await connect.delete(connectorName).catch(() => undefined);
  await Promise.all([search?.stop(), people?.stop()]);
  await property?.close();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
  await admin.disconnect();
  fs.rmSync(path.join(feedsDir(), `${source}.jsonl`), { force: true });
  // The listings stay (events are for good); this run's source leaves the feed report.
  await propertyTables.deleteFrom('feed_records').where('source', '=', source).execute();
  fs.rmSync(tmp, { recursive: true, force: true });
  await owner.destroy();
});

describe('a listing feed through Kafka Connect', () => {
  const searchFor = async (query: string) => jsonClient(search.url)('GET', `/search/properties?${query}`);

  it('imports the sample feed: valid listings listed as their agent, the rest to the DLQ with reasons', async () => {
    const dropped = feedsCli(['drop', source, sampleFor('listings.jsonl')]);
    expect(dropped).toMatchObject({ status: 0, err: '' });
    expect(dropped.out).toContain(`${source}: 1200 records dropped`);
    await waitFor(
      async () => `all 1,200 records imported or rejected (${await recordsDone()})`,
      async () => (await recordsDone()) === 1200,
      {
        timeoutMs: 180_000,
        pollMs: 500,
      },
    );
    const imported = report();
    expect(imported).toMatchObject({ imported: 1140, updated: 0, unchanged: 0, rejected: 60 });
    expect(
      imported.reasons[
        'ListAgentEmail: no agent on the platform has this email (a People profile with an agency)'
      ],
    ).toBe(30);
    const reasons = Object.entries(imported.reasons);
    expect(reasons.filter(([reason]) => reason.startsWith('ListPrice')).reduce((n, [, c]) => n + c, 0)).toBe(
      10,
    );
    expect(reasons.filter(([reason]) => reason.startsWith('Latitude')).reduce((n, [, c]) => n + c, 0)).toBe(
      10,
    );
    expect(reasons.filter(([reason]) => reason.startsWith('LivingArea')).reduce((n, [, c]) => n + c, 0)).toBe(
      10,
    );

    // Every rejected record is on the feed's DLQ, unchanged, with its reason.
    const parked = await readUntil(
      `${topic}.dlq`,
      [{ partition: 0, offset: '0' }],
      (m) => m.length >= 60,
      60_000,
    );
    expect(parked).toHaveLength(60);
    expect(
      parked.every((m) => m.headers.dlqReason === 'invalid-record' && (m.headers.dlqError ?? '') !== ''),
    ).toBe(true);

    // Through the relay into search: every imported listing, as its agent's, with the sample's facts.
    await waitFor(
      '1,140 listings of the agent in search',
      async () => (await searchFor(`agent=${agent.subject}&limit=1`)).body.total === 1140,
      {
        timeoutMs: 120_000,
        pollMs: 500,
      },
    );
    const first = await jsonClient(search.url)(
      'GET',
      `/search/properties/${feedPropertyId(source, 'SMLS-000001')}`,
    );
    expect(first.body).toMatchObject({
      status: 'listed',
      street: 'Ferdinand Bolstraat 80',
      city: 'Amsterdam',
      price: { amount: 634_000, currency: 'EUR' },
      areaSqm: 85,
      type: 'condo',
      listingAgent: {
        agentId: agent.subject,
        name: 'Anna Agent',
        agency: 'Deedstream Makelaars',
        erased: false,
      },
    });
  }, 300_000);

  it('applies the update file: price cuts, withdrawals and new details; a record re-sent unchanged changes nothing', async () => {
    const lines = fs.readFileSync(path.join(sample, 'updates.jsonl'), 'utf8').trim().split('\n');
    const updates = lines.map(
      (line) => JSON.parse(line) as { ListingKey: string; StandardStatus: string; ListPrice: number },
    );
    expect(feedsCli(['drop', source, sampleFor('updates.jsonl')]).status).toBe(0);
    await waitFor(
      async () => `all 1,350 records done (${await recordsDone()})`,
      async () => (await recordsDone()) === 1350,
      {
        timeoutMs: 120_000,
        pollMs: 500,
      },
    );
    expect(report()).toMatchObject({ imported: 1140, updated: 140, unchanged: 10, rejected: 60 });

    // A price cut: an Active update whose price differs from the listing's.
    const listedPrice = new Map(
      fs
        .readFileSync(path.join(sample, 'listings.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { ListingKey: string; ListPrice: number })
        .map((r) => [r.ListingKey, r.ListPrice]),
    );
    const cut = updates.find(
      (u) => u.StandardStatus === 'Active' && u.ListPrice !== listedPrice.get(u.ListingKey),
    );
    const withdrawn = updates.find((u) => u.StandardStatus === 'Withdrawn');
    const idOf = (key: string) => feedPropertyId(source, key);
    await waitFor(
      `the withdrawn listings in search`,
      async () => (await searchFor(`agent=${agent.subject}&status=withdrawn&limit=1`)).body.total === 40,
      {
        timeoutMs: 60_000,
        pollMs: 250,
      },
    );
    expect(
      (await jsonClient(search.url)('GET', `/search/properties/${idOf(withdrawn!.ListingKey)}`)).body.status,
    ).toBe('withdrawn');
    await waitFor(
      'the price cut in search',
      async () => {
        const document = await jsonClient(search.url)('GET', `/search/properties/${idOf(cut!.ListingKey)}`);
        return (document.body.price as { amount: number }).amount === cut!.ListPrice;
      },
      { timeoutMs: 60_000, pollMs: 250 },
    );
    // The cut is one PriceChanged, made as the agent.
    const history = await property.call('GET', `/properties/${idOf(cut!.ListingKey)}/events`);
    expect((history.body.events as Array<{ type: string }>).map((e) => e.type)).toEqual([
      'PropertyListed',
      'PriceChanged',
    ]);
  }, 300_000);

  it('never rolls a listing back: the first file dropped again is older than what was applied', async () => {
    expect(feedsCli(['drop', source, sampleFor('listings.jsonl')]).status).toBe(0);
    await waitFor(
      async () => `all 2,550 records done (${await recordsDone()})`,
      async () => (await recordsDone()) === 2550,
      {
        timeoutMs: 180_000,
        pollMs: 500,
      },
    );
    // 1,140 stale records change nothing; the 60 bad ones are rejected again.
    expect(report()).toMatchObject({ imported: 1140, updated: 140, unchanged: 1150, rejected: 120 });
    // The store itself, not a read model that might lag: every withdrawal still stands.
    const withdrawals = fs
      .readFileSync(path.join(sample, 'updates.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { ListingKey: string; StandardStatus: string })
      .filter((u) => u.StandardStatus !== 'Active');
    expect(withdrawals).toHaveLength(40);
    for (const { ListingKey } of withdrawals.slice(0, 5)) {
      const listing = await property.call('GET', `/properties/${feedPropertyId(source, ListingKey)}`);
      expect(listing.body.status).toBe('withdrawn');
    }
  }, 300_000);

  it('refuses a bad source name or a missing file in one line, and writes nothing', () => {
    for (const args of [
      ['drop', 'Bad-Source', path.join(sample, 'listings.jsonl')],
      ['drop', source, path.join(tmp, 'missing.jsonl')],
    ]) {
      const refused = feedsCli(args);
      expect(refused.status).toBe(1);
      expect(refused.err.trim().split('\n')).toHaveLength(1);
    }
    expect(fs.existsSync(path.join(feedsDir(), 'Bad-Source.jsonl'))).toBe(false);
  });
});
