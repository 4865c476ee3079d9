import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { slotRecoveryDeps } from '../../services/cli/slot-recovery-deps';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import {
  applyConnector,
  waitForRunning,
  waitForState,
} from '../../services/shared/connect/connector-deployment';
import {
  loadConnector,
  resolveConnectorFile,
  templateStore,
  type ConnectorDefinition,
} from '../../services/shared/connect/connector-file';
import { postgresSourceOffset } from '../../services/shared/connect/debezium-offset';
import { dropSlotWhenInactive, readReplicationSlot } from '../../services/shared/connect/replication-slot';
import { REPUBLISHED_HEADER } from '../../services/shared/connect/republish';
import { assessSlot } from '../../services/shared/connect/slot-health';
import { recoverSlot, type SlotRecoveryOptions } from '../../services/shared/connect/slot-recovery';
import { createDatabase } from '../../services/shared/db/database';
import { grantRelayAccess } from '../../migrations/roles';
import type { EventStoreTables } from '../../services/shared/event-store/tables';
import { createMessagingSchema, dropServiceSchema } from '../../services/shared/messaging/inbox';
import { outboxRows } from '../../services/shared/outbox/outbox-writer';
import {
  connect,
  endOffsets,
  ensurePipeline,
  kafka,
  readUntil,
  type ReceivedMessage,
} from '../support/pipeline';
import { listing, startPropertyService, type PropertyHarness } from '../support/property-harness';
import { startSteadyLoad } from '../support/steady-load';
import { waitFor } from '../support/wait-for';
import { messageOf } from '../../services/shared/errors/message-of';

const repoRoot = path.resolve(__dirname, '../..');
const config = infrastructureConfig();
const db = createDatabase<EventStoreTables>({ connectionString: config.DATABASE_URL, maxConnections: 4 });
const adminDb = db as unknown as Kysely<unknown>;
const recoveryLog: string[] = [];
const deps = slotRecoveryDeps(config, (line) => {
  recoveryLog.push(line);
  process.stdout.write(`[slot recovery] ${line}\n`);
});
const options: SlotRecoveryOptions = { marginMs: 600_000, retentionHours: 24, timeoutMs: 90_000 };
const cliDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slot-recovery-connectors-'));

/** The connectors CLI, run without blocking this process (the in-process service keeps serving). */
async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      path.join(repoRoot, 'node_modules/.bin/tsx'),
      ['services/cli/connectors.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 240_000 },
    );
    return { status: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { status: failed.code ?? -1, out: failed.stdout ?? '', err: failed.stderr ?? '' };
  }
}

/** For each key, the versions in the order they first reached Kafka (later copies are duplicates). */
function firstSightings(
  messages: readonly ReceivedMessage[],
  keys: readonly string[],
): Map<string, number[]> {
  const wanted = new Set(keys);
  const seen = new Map<string, Set<number>>();
  const order = new Map<string, number[]>();
  for (const m of messages) {
    if (!wanted.has(m.key)) continue;
    const version = Number(m.headers.aggregateVersion);
    const versions = seen.get(m.key) ?? new Set<number>();
    if (versions.has(version)) continue;
    versions.add(version);
    seen.set(m.key, versions);
    order.set(m.key, [...(order.get(m.key) ?? []), version]);
  }
  return order;
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Reads `topic` from `from` until every id in `expected` arrived (header `id`). */
async function readAllIds(
  topic: string,
  from: Awaited<ReturnType<typeof endOffsets>>,
  expected: Set<string>,
) {
  const seen = new Set<string>();
  let checked = 0;
  return readUntil(
    topic,
    from,
    (all) => {
      for (; checked < all.length; checked += 1) {
        const id = all[checked]?.headers.id;
        if (id && expected.has(id)) seen.add(id);
      }
      return seen.size === expected.size;
    },
    180_000,
  );
}

afterAll(async () => {
  await deps.close();
  await db.destroy();
  fs.rmSync(cliDir, { recursive: true, force: true });
});

describe('losing a replication slot is recoverable (property: event-sourced)', () => {
  const connector = 'outbox-relay';
  const slot = 'deedstream_relay_outbox';
  let api: PropertyHarness | undefined;
  let testStart: Date | undefined;

  beforeAll(async () => {
    await ensurePipeline();
    api = await startPropertyService();
  });

  afterAll(async () => {
    // The relay is shared: leave it healthy and complete whatever happened above.
    try {
      const health = assessSlot(
        await readReplicationSlot(adminDb, slot),
        postgresSourceOffset(await connect.offsets(connector)),
      );
      if (health.kind === 'lost')
        await recoverSlot(deps, loadConnector(connector), {
          ...options,
          ...(testStart ? { since: testStart } : {}),
        });
      const status = await connect.status(connector);
      if ([status.connector, ...status.tasks].some((s) => s.state === 'FAILED'))
        await connect.restartFailed(connector);
      else if (status.connector.state !== 'RUNNING') await connect.resume(connector);
      await waitForRunning(connect, connector, 90_000);
    } finally {
      await api?.close();
    }
  });

  it('a slot dropped while commands flow: status says LOST, recover republishes, no event is missing on Kafka', async () => {
    const service = api as PropertyHarness;
    testStart = new Date();
    const from = await endOffsets('property.events');
    const ids = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const created = await service.call('POST', '/properties', listing());
        expect(created.status).toBe(201);
        return created.body.id as string;
      }),
    );
    let amount = 500_000;
    // One worker per property: a steady stream of price changes, no write conflicts.
    const load = startSteadyLoad(
      ids.length,
      async (worker) => {
        amount += 1;
        const changed = await service.call('POST', `/properties/${ids[worker]}/price`, {
          price: { amount, currency: 'EUR' },
        });
        if (changed.status !== 200) throw new Error(`price change answered ${changed.status}`);
      },
      20,
    );
    let recoveryMs: number | undefined;
    try {
      await load.waitForMore(80, 60_000);
      // What Postgres does to an invalidated slot's consumer: its walsender is terminated;
      // then the slot is gone while the connector is down.
      await waitFor(
        `slot ${slot} dropped`,
        async () => {
          await sql`SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots
                    WHERE slot_name = ${slot} AND active`.execute(adminDb);
          try {
            await sql`SELECT pg_drop_replication_slot(${slot})`.execute(adminDb);
            return true;
          } catch (error) {
            if (/is active for PID/.test(messageOf(error))) return false;
            throw error;
          }
        },
        { timeoutMs: 30_000, pollMs: 200 },
      );
      // Commands keep coming during the gap; none of them reaches Kafka now. Debezium
      // retries, then fails for good: its offset is no longer available in any slot.
      await load.waitForMore(80, 60_000);
      await waitFor(
        `${connector} task FAILED`,
        async () => (await connect.status(connector)).tasks.some((t) => t.state === 'FAILED'),
        { timeoutMs: 90_000, pollMs: 200 },
      );

      const status = await cli(['status', connector]);
      expect(status.out).toContain(`${connector}: connector RUNNING; tasks 0:FAILED`);
      expect(status.out).toContain('is no longer available on the server');
      expect(status.out).toContain(
        `${connector}: slot ${slot} is LOST (no such slot, but the connector's offset is at `,
      );
      expect(status.out).toContain(`: run \`npm run connectors -- recover ${connector}\``);
      expect(status.status).toBe(3);

      const report = await recoverSlot(deps, loadConnector(connector), options);
      recoveryMs = report.durationMs;
      expect(report).toMatchObject({
        recovered: true,
        state: 'RUNNING',
        before: { kind: 'lost', loss: 'dropped' },
      });
      expect(report.counts.events).toBeGreaterThan(0);
      expect(recoveryLog).toContainEqual(
        expect.stringMatching(
          /^outbox-relay: republished \d+ events of \d+ streams from property\.events table/,
        ),
      );
      // And they keep flowing, now relayed from the new slot.
      await load.waitForMore(80, 60_000);
    } finally {
      await load.stop();
    }
    process.stdout.write(
      `[slot recovery e2e] ${load.succeeded()} price changes, ${load.failed()} refused; recovery took ${recoveryMs ?? '?'} ms\n`,
    );

    const events = await db
      .withSchema('property')
      .selectFrom('events')
      .select('event_id')
      .where('occurred_at', '>=', testStart)
      .execute();
    const expected = new Set(events.map((e) => e.event_id));
    expect(expected.size).toBeGreaterThanOrEqual(ids.length + 240);
    const messages = await readAllIds('property.events', from, expected);

    // Every aggregate's versions first reached Kafka in order and without a gap: the
    // republished ones went out before the relay resumed with the newer ones.
    const sightings = firstSightings(messages, ids);
    for (const id of ids) {
      const versions = sightings.get(id) ?? [];
      expect(versions).toEqual(upTo(versions.length));
    }
    // A republished record is the one the relay would have sent: same bytes, same partition.
    const republished = messages.find((m) => m.headers[REPUBLISHED_HEADER] && ids.includes(m.key));
    expect(republished).toBeDefined();
    const { key, value, headers } = republished as ReceivedMessage;
    const outbox = await db
      .withSchema('property')
      .selectFrom('outbox')
      .select(['payload', 'aggregate_version'])
      .where('id', '=', headers.id as string)
      .executeTakeFirstOrThrow();
    expect(value.equals(outbox.payload)).toBe(true);
    expect(headers).toMatchObject({
      eventId: headers.id,
      aggregateVersion: String(outbox.aggregate_version),
    });
    expect(new Set(messages.filter((m) => m.key === key).map((m) => m.partition)).size).toBe(1);

    // The relay is whole again: RUNNING, its new slot active and covering its offset.
    const after = await readReplicationSlot(adminDb, slot);
    expect(after?.active).toBe(true);
    expect(assessSlot(after, postgresSourceOffset(await connect.offsets(connector))).kind).toBe('healthy');
    const running = await connect.status(connector);
    expect([running.connector, ...running.tasks].map((s) => s.state)).toEqual(['RUNNING', 'RUNNING']);
  }, 600_000);
});

describe('losing a replication slot is recoverable (outbox-only service)', () => {
  // A connector of its own from the same template, on a scratch schema and topic, so no
  // shared topic receives test messages.
  const suffix = randomUUID().replace(/-/g, '').slice(0, 8);
  const schema = `slotrec_${suffix}`;
  const name = `slotrec-${suffix}`;
  const topic = `${schema}.messages`;
  const heartbeatTopic = `__debezium-heartbeat.deedstream.${schema}`;
  const slot = `deedstream_${schema}_outbox`;
  let definition: ConnectorDefinition;

  beforeAll(async () => {
    await createMessagingSchema(adminDb, schema);
    await grantRelayAccess(adminDb, schema);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 3 },
        { topic: heartbeatTopic, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const file = path.join(cliDir, `${name}.json`);
    const resolved = resolveConnectorFile(
      file,
      { name, template: 'outbox-relay', variables: { schema } },
      templateStore(),
    );
    fs.writeFileSync(file, JSON.stringify(resolved, null, 2));
    definition = { name, file, config: resolved.config };
    await applyConnector(connect, adminDb, definition, cliDir);
  });

  afterAll(async () => {
    await connect.delete(name).catch(() => undefined);
    await dropSlotWhenInactive(adminDb, slot, 30_000);
    await sql`DROP PUBLICATION IF EXISTS ${sql.id(slot)}`.execute(adminDb);
    await dropServiceSchema(adminDb, schema);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, heartbeatTopic] });
    await admin.disconnect();
  });

  it('a slot dropped while the connector is stopped: `recover` republishes the retained outbox rows Kafka lacks', async () => {
    const outbox = db.withSchema(schema);
    const versions = new Map<string, number>();
    let written = 0;
    const load = startSteadyLoad(
      1,
      async () => {
        const key = `key-${written % 6}`;
        written += 1;
        const version = (versions.get(key) ?? 0) + 1;
        versions.set(key, version);
        const id = randomUUID();
        await outbox
          .insertInto('outbox')
          .values(
            outboxRows([
              {
                id,
                aggregateType: topic,
                aggregateId: key,
                type: 'TestMessage',
                payload: Buffer.from(`${key}@${version}`),
                eventId: id,
                aggregateVersion: version,
                correlationId: name,
                causationId: null,
                traceparent: null,
                actor: null,
                occurredAt: new Date(),
              },
            ]),
          )
          .execute();
      },
      10,
    );
    try {
      await load.waitForMore(50, 30_000);
      await readUntil(
        topic,
        [0, 1, 2].map((partition) => ({ partition, offset: '0' })),
        (all) => all.length >= 20,
        60_000,
      );
      // The connector is down (stopped) and its slot is dropped meanwhile.
      await connect.stop(name);
      await waitForState(connect, name, 'STOPPED', 60_000);
      await dropSlotWhenInactive(adminDb, slot, 30_000);
      await load.waitForMore(50, 30_000);

      const env = { CONNECTORS_DIR: cliDir };
      const status = await cli(['status', name], env);
      expect(status.out).toContain(`${name}: connector STOPPED`);
      expect(status.out).toContain(`${name}: slot ${slot} is LOST (no such slot`);
      expect(status.status).toBe(3);

      const recovered = await cli(['recover', name], env);
      process.stdout.write(`[slot recovery e2e] npm run connectors -- recover ${name}\n${recovered.out}`);
      expect(recovered.err).toBe('');
      expect(recovered.out).toMatch(
        new RegExp(
          `${name}: republished 0 events of 0 streams from ${schema}\\.events table and [1-9]\\d* retained outbox messages`,
        ),
      );
      expect(recovered.out).toMatch(
        new RegExp(`${name}: connector RUNNING, slot ${slot} active; recovery took`),
      );
      expect(recovered.status).toBe(0);
      expect((await cli(['status', name], env)).status).toBe(0);
      // Recovering a healthy slot changes nothing; --since compares and republishes anyway.
      const again = await cli(['recover', name], env);
      expect(again.out).toContain(`${name}: nothing to recover: slot ${slot} is healthy; connector RUNNING`);
      expect(again.status).toBe(0);
      const since = new Date(Date.now() - 60_000).toISOString();
      const forced = await cli(['recover', name, '--since', since], env);
      expect(forced.out).toContain(`${name}: point of loss ${since} (--since)`);
      expect(forced.out).not.toContain('created again');
      expect(forced.out).toMatch(new RegExp(`${name}: connector RUNNING, slot ${slot} active`));
      expect(forced.status).toBe(0);
      await load.waitForMore(50, 30_000);
    } finally {
      await load.stop();
    }

    const rows = await outbox.selectFrom('outbox').select('id').execute();
    const messages = await readAllIds(
      topic,
      [0, 1, 2].map((partition) => ({ partition, offset: '0' })),
      new Set(rows.map((r) => r.id)),
    );
    const sightings = firstSightings(messages, [...versions.keys()]);
    for (const [key, last] of versions) expect(sightings.get(key)).toEqual(upTo(last));
    expect(messages.some((m) => m.headers[REPUBLISHED_HEADER])).toBe(true);
    expect((await readReplicationSlot(adminDb, slot))?.active).toBe(true);
  }, 600_000);

  it('names an unknown connector and a bad --since in one line', async () => {
    const unknown = await cli(['recover', 'no-such-connector']);
    expect(unknown.status).toBe(1);
    expect(unknown.err.trim()).toMatch(
      /^connectors: unknown connector "no-such-connector": no connectors\/no-such-connector\.json/,
    );
    const badSince = await cli(['recover', name, '--since', 'yesterday'], { CONNECTORS_DIR: cliDir });
    expect(badSince.status).toBe(1);
    expect(badSince.err.trim()).toBe(
      'connectors: --since: not an ISO 8601 instant: "yesterday" (e.g. 2026-11-30T14:00:00Z)',
    );
  });
});
