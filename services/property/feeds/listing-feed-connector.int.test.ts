import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { feedsDir } from '../../../stack/components/connect';
import { connect, connectorStateDir, kafka, readUntil } from '../../../test/support/pipeline';
import { applyConnector, rollbackConnector } from '../../shared/connect/connector-deployment';
import {
  resolveConnectorFile,
  templateStore,
  type ConnectorDefinition,
} from '../../shared/connect/connector-file';
import { createDatabase } from '../../shared/db/database';
import { infrastructureConfig } from '../../shared/service/infrastructure';

/**
 * The listing feed's file source on the real Connect: a connector of this file's own, from
 * the repository's listing-feed template, tails its feed file into its topic line by line,
 * and the connectors' apply and rollback handle it like the outbox relay.
 */
const run = randomUUID().replace(/-/g, '').slice(0, 8);
const source = `it_${run}`;
const topic = `listing-feed.${source}`;
const name = `listing-feed-it-${run}`;
const feedFile = path.join(feedsDir(), `${source}.jsonl`);
const owner = createDatabase<unknown>({
  connectionString: infrastructureConfig().DATABASE_URL,
  maxConnections: 1,
});

function definition(overrides: Record<string, string> = {}): ConnectorDefinition {
  const resolved = resolveConnectorFile(
    name,
    { name, template: 'listing-feed', variables: { source }, config: overrides },
    templateStore(),
  );
  return { ...resolved, file: name };
}

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
  });
  await admin.disconnect();
});

afterAll(async () => {
  await connect.delete(name).catch(() => undefined);
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  fs.rmSync(feedFile, { force: true });
  await owner.destroy();
});

describe('the listing feed connector', () => {
  it('waits for its file, then sends every line once, in order, as the file grows', async () => {
    const applied = await applyConnector(connect, owner, definition(), connectorStateDir);
    expect(applied.status.tasks.map((t) => t.state)).toEqual(['RUNNING']);
    const lines = ['{"ListingKey":"A"}', '{"ListingKey":"B"}', '{"ListingKey":"C"}'];
    fs.appendFileSync(feedFile, `${lines.slice(0, 2).join('\n')}\n`);
    fs.appendFileSync(feedFile, `${lines[2]}\n`);
    const received = await readUntil(topic, [{ partition: 0, offset: '0' }], (m) => m.length >= 3, 60_000);
    expect(received.map((m) => m.value.toString('utf8'))).toEqual(lines);
  }, 120_000);

  it('is applied and rolled back like any connector', async () => {
    const changed = await applyConnector(
      connect,
      owner,
      definition({ 'batch.size': '10' }),
      connectorStateDir,
    );
    expect(changed.changed).toBe(true);
    expect((await connect.connectorConfig(name))?.['batch.size']).toBe('10');
    await rollbackConnector(connect, name, connectorStateDir);
    expect((await connect.connectorConfig(name))?.['batch.size']).toBe('500');
  }, 120_000);
});
