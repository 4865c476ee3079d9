import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { ConnectClient } from '../shared/connect/connect-client';
import { loadConnector } from '../shared/connect/connector-file';
import { createDatabase } from '../shared/db/database';
import { createKafka } from '../shared/kafka/kafka-client';
import { waitFor } from '../../test/support/wait-for';

const repoRoot = path.resolve(__dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-cli-'));
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-state-'));
// Unique per run: Connect keeps a deleted connector's offsets, which a reused name would inherit.
const suffix = Math.random().toString(16).slice(2, 8);
const name = `cli-test-${suffix}`;
const slot = `deedstream_cli_${suffix}`;
const prefix = `deedstream.clitest${suffix}`;

/**
 * A connector of its own for these tests: same class and database as the outbox relay,
 * but its own slot and publication, capturing only the heartbeat table (filtered out), so
 * it never writes to the event topics other tests read.
 */
function writeTestConnector(
  overrides: Record<string, string> = {},
  fileName = name,
  declaredName = name,
): void {
  // The outbox relay's resolved config (its file is templated); written here as a full file.
  const base = loadConnector('outbox-relay', path.join(repoRoot, 'connectors'));
  const config: Record<string, string> = {
    ...base.config,
    'slot.name': slot,
    'publication.name': slot,
    'table.include.list': 'property.debezium_heartbeat',
    'topic.prefix': prefix,
    'snapshot.mode': 'no_data',
    // Heartbeats commit offsets while every captured row is filtered out.
    'heartbeat.interval.ms': '1000',
    predicates: 'isHeartbeatRow',
    'predicates.isHeartbeatRow.pattern': `${prefix.replace(/\./g, '\\.')}\\.property\\.debezium_heartbeat`,
    transforms: 'dropHeartbeatRows',
    ...overrides,
  };
  for (const key of Object.keys(config))
    if (
      key.startsWith('transforms.outbox') ||
      key.startsWith('predicates.isOutboxRow') ||
      key === 'heartbeat.action.query'
    )
      delete config[key];
  fs.writeFileSync(
    path.join(dir, `${fileName}.json`),
    JSON.stringify({ name: declaredName, config }, null, 2),
  );
}

function cli(...args: string[]): { status: number; out: string; err: string } {
  const result = spawnSync(
    path.join(repoRoot, 'node_modules/.bin/tsx'),
    ['services/cli/connectors.ts', ...args],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, CONNECTORS_DIR: dir, CONNECTORS_STATE_DIR: stateDir, ...cliEnv },
      timeout: 120_000,
    },
  );
  return { status: result.status ?? -1, out: result.stdout, err: result.stderr };
}
let cliEnv: Record<string, string> = {};

const db = createDatabase<unknown>({
  connectionString: infrastructureConfig().DATABASE_URL,
  maxConnections: 1,
});
const heartbeatTopic = `__debezium-heartbeat.${prefix}`;

beforeAll(async () => {
  const admin = createKafka(infrastructureConfig().KAFKA_BROKERS, 'connectors-cli-test').admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: heartbeatTopic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
});

afterAll(async () => {
  cliEnv = {};
  cli('delete', name);
  // The slot outlives the connector (by design): drop it once its walsender has let go.
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const active = await sql<{
      active: boolean;
    }>`SELECT active FROM pg_replication_slots WHERE slot_name = ${slot}`.execute(db);
    if (active.rows.length === 0) break;
    if (!active.rows[0]?.active) {
      await sql`SELECT pg_drop_replication_slot(${slot})`.execute(db);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await sql`DROP PUBLICATION IF EXISTS ${sql.id(slot)}`.execute(db);
  await db.destroy();
  const admin = createKafka(infrastructureConfig().KAFKA_BROKERS, 'connectors-cli-test').admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [heartbeatTopic] });
  await admin.disconnect();
});

describe('npm run connectors', () => {
  it('deploys idempotently, diffs key by key, rolls back, reports status with slot lag, resets offsets', async () => {
    writeTestConnector();
    const first = cli('apply', name);
    expect(first.err).toBe('');
    expect(first.out).toContain(`${name}: RUNNING with 1 task(s)`);

    const again = cli('apply', name);
    expect(again.out).toContain('unchanged (no-op)');
    expect(cli('diff', name).out).toContain('running config matches');

    writeTestConnector({ 'poll.interval.ms': '250' });
    const plan = cli('diff', name);
    expect(plan.out).toContain(`${name}: ~ poll.interval.ms: 50 → 250`);
    expect(cli('apply', name).out).toContain('~ poll.interval.ms: 50 → 250');

    const rolledBack = cli('rollback', name);
    expect(rolledBack.status).toBe(0);
    writeTestConnector();
    expect(cli('diff', name).out).toContain('running config matches');

    const status = cli('status', name);
    expect(status.out).toContain(`${name}: connector RUNNING; tasks 0:RUNNING`);
    expect(status.out).toMatch(new RegExp(`slot ${slot} active, \\d+ bytes`));
    cliEnv = { SLOT_LAG_WARN_BYTES: '1' };
    const warned = cli('status', name);
    cliEnv = {};
    // Any WAL written since the slot's last confirmation exceeds a 1-byte limit.
    if (/ 0 bytes/.test(warned.out)) expect(warned.status).toBe(0);
    else expect(warned.out).toContain('WARNING slot lag exceeds 1 bytes');

    // Offsets exist once the connector has seen a change and a heartbeat committed it.
    await sql`INSERT INTO property.debezium_heartbeat (id, beat_at) VALUES (2, now()) ON CONFLICT (id) DO UPDATE SET beat_at = now()`.execute(
      db,
    );
    const connect = ConnectClient.of(infrastructureConfig());
    await waitFor(`${name}'s first offsets`, async () => (await connect.offsets(name)).offsets.length > 0, {
      timeoutMs: 30_000,
      pollMs: 250,
    });
    expect(cli('offsets', 'show', name).out).toContain(`"server": "${prefix}"`);
    const reset = cli('offsets', 'reset', name);
    expect(reset.err).toBe('');
    expect(reset.out).toContain('offsets reset');

    expect(cli('pause', name).status).toBe(0);
    expect(cli('resume', name).status).toBe(0);
    expect(cli('restart', name).out).toContain('RUNNING');
  });

  it('prints every validation error by field and exits non-zero', () => {
    writeTestConnector(
      { 'plugin.name': 'no-such-decoder', 'snapshot.mode': 'sometimes' },
      'bad-fields',
      'bad-fields',
    );
    const result = cli('validate', 'bad-fields');
    expect(result.status).toBe(1);
    expect(result.out).toMatch(/bad-fields: plugin\.name: /);
    expect(result.out).toMatch(/bad-fields: snapshot\.mode: /);
    expect(result.err.trim().split('\n')).toHaveLength(1);
  });

  it('names an unresolved placeholder', () => {
    writeTestConnector({ 'database.user': '${env:DEEDSTREAM_NO_SUCH_USER}' }, 'unresolved', 'unresolved');
    const result = cli('validate', 'unresolved');
    expect(result.status).toBe(1);
    expect(result.out).toContain(
      "unresolved placeholder ${env:DEEDSTREAM_NO_SUCH_USER}: define it in the Connect worker's environment",
    );
    writeTestConnector(
      { 'database.password': '${vault:secret/db:password}' },
      'bad-provider',
      'bad-provider',
    );
    const provider = cli('validate', 'bad-provider');
    expect(provider.status).toBe(1);
    expect(provider.err).toContain('has no "vault" config provider');
  });

  it('fails with one line for an unknown connector, invalid JSON and unreachable Connect', () => {
    const unknown = cli('status', 'no-such-connector');
    expect(unknown.status).toBe(1);
    expect(unknown.err.trim()).toMatch(/^connectors: unknown connector "no-such-connector"/);

    fs.writeFileSync(path.join(dir, 'broken.json'), '{"name": "broken", "config": {');
    const broken = cli('validate', 'broken');
    expect(broken.status).toBe(1);
    expect(broken.err.trim()).toMatch(/^connectors: .*broken\.json is not valid JSON/);
    fs.rmSync(path.join(dir, 'broken.json'));

    cliEnv = { CONNECT_URL: 'http://127.0.0.1:1' };
    const unreachable = cli('diff', name);
    cliEnv = {};
    expect(unreachable.status).toBe(1);
    expect(unreachable.err.trim()).toMatch(
      /^connectors: cannot reach Kafka Connect at http:\/\/127\.0\.0\.1:1/,
    );
  });
});
