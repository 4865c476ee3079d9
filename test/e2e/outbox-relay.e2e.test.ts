import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { applyConnector } from '../../services/shared/connect/connector-deployment';
import { createDatabase } from '../../services/shared/db/database';
import { loadConnector } from '../../services/shared/connect/connector-file';
import { up } from '../../stack/stack';
import { runningPid } from '../../stack/process';
import { listing, startPropertyService, type PropertyHarness } from '../support/property-harness';
import {
  connect,
  connectorStateDir,
  endOffsets,
  ensurePipeline,
  readUntil,
  type ReceivedMessage,
} from '../support/pipeline';

const topic = 'property.events';
let api: PropertyHarness;

beforeAll(async () => {
  await ensurePipeline();
  api = await startPropertyService();
});
afterAll(() => api.close());

async function listProperty(): Promise<string> {
  const created = await api.call('POST', '/properties', listing());
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('Debezium outbox relay (Postgres → Connect → Kafka)', () => {
  it('relays one command as exactly one message: key = property id, the headers, the same event in Avro', async () => {
    const from = await endOffsets(topic);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const created = await api.call('POST', '/properties', listing(), {
      'X-Correlation-Id': 'relay-e2e',
      traceparent,
    });
    const id = created.body.id as string;
    // A later event of the same property is a fence: same key, same partition, so once it
    // arrives every message relayed before it has arrived too.
    const fence = await api.call('POST', `/properties/${id}/price`, {
      price: { amount: 640000, currency: 'EUR' },
    });
    expect(fence.status).toBe(200);
    const messages = await readUntil(
      topic,
      from,
      (all) => all.some((m) => m.key === id && m.headers.aggregateVersion === '2'),
      60_000,
    );

    const mine = messages.filter((m) => m.key === id && m.headers.aggregateVersion === '1');
    expect(mine).toHaveLength(1);
    const [message] = mine as [ReceivedMessage];
    const [stored] = await api.service.store.read(id);
    expect(message.headers).toMatchObject({
      eventId: stored?.eventId,
      eventType: 'PropertyListed',
      aggregateVersion: '1',
      correlationId: 'relay-e2e',
      traceparent,
      occurredAt: stored?.occurredAt.toISOString(),
    });
    expect(message.headers.causationId ?? null).toBeNull();
    // The value is exactly the bytes the service wrote to the outbox, decodable by any consumer.
    const outbox = await api.service.db
      .selectFrom('outbox')
      .select('payload')
      .where('event_id', '=', stored!.eventId)
      .executeTakeFirstOrThrow();
    expect(message.value.equals(outbox.payload)).toBe(true);
    const decoded = await new SchemaRegistry({ host: infrastructureConfig().SCHEMA_REGISTRY_URL }).decode(
      message.value,
    );
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(stored?.event.data);
  });

  it('keeps per-aggregate order across 200 aggregates commanded concurrently', async () => {
    const from = await endOffsets(topic);
    const ids = await Promise.all(Array.from({ length: 200 }, () => listProperty()));
    // Each aggregate gets 4 more events, aggregates interleaved, 50 requests in flight.
    const work = ids.flatMap((id) => [1, 2, 3, 4].map((step) => ({ id, step })));
    const queue = [...work].sort((a, b) => a.step - b.step);
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          const response = await api.call('POST', `/properties/${job.id}/price`, {
            price: { amount: 650000 - job.step * 1000, currency: 'EUR' },
          });
          expect(response.status).toBe(200);
        }
      }),
    );
    const wanted = new Set(ids);
    const messages = await readUntil(
      topic,
      from,
      (all) => all.filter((m) => wanted.has(m.key)).length >= ids.length * 5,
      120_000,
    );
    const byKey = new Map<string, number[]>();
    for (const m of messages.filter((msg) => wanted.has(msg.key))) {
      byKey.set(m.key, [...(byKey.get(m.key) ?? []), Number(m.headers.aggregateVersion)]);
    }
    expect(byKey.size).toBe(200);
    for (const versions of byKey.values()) expect(versions).toEqual([1, 2, 3, 4, 5]);
    // One key, one partition: the order above is the partition's order.
    const partitions = new Map<string, Set<number>>();
    for (const m of messages) partitions.set(m.key, (partitions.get(m.key) ?? new Set()).add(m.partition));
    expect([...partitions.values()].every((p) => p.size === 1)).toBe(true);
  });

  it('re-applying an unchanged connector config changes nothing', async () => {
    const before = await connect.connectorConfig('outbox-relay');
    // As provisioning does: the schemas' owner, who makes the connector's publication.
    const owner = createDatabase<unknown>({
      connectionString: infrastructureConfig().DATABASE_URL,
      maxConnections: 1,
    });
    const result = await applyConnector(
      connect,
      owner,
      loadConnector('outbox-relay'),
      connectorStateDir,
    ).finally(() => owner.destroy());
    expect(result.changed).toBe(false);
    expect(result.changes).toEqual([]);
    expect(await connect.connectorConfig('outbox-relay')).toEqual(before);
  });

  it('delivers every event at least once when the Connect worker is killed -9 mid-stream', async () => {
    const from = await endOffsets(topic);
    const total = 5_000;
    const ids = await Promise.all(Array.from({ length: 100 }, () => listProperty()));
    let issued = 0;
    let killed = false;
    const commands = Array.from({ length: total - ids.length }, (_, i) => ids[i % ids.length] as string);
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let id = commands.shift(); id; id = commands.shift()) {
          const response = await api.as(api.buyer)('POST', `/properties/${id}/offers`, {
            amount: { amount: 600000, currency: 'EUR' },
          });
          expect(response.status).toBe(201);
          issued += 1;
          if (!killed && issued >= total / 2) {
            killed = true;
            const pid = runningPid('connect');
            expect(pid).toBeDefined();
            process.kill(pid as number, 'SIGKILL');
          }
        }
      }),
    );
    expect(killed).toBe(true);
    // Start the worker again (the stack manager restarts what died); the connector resumes.
    await up({ quiet: true });

    const events = await api.service.db
      .selectFrom('events')
      .select('event_id')
      .where('stream_id', 'in', ids)
      .execute();
    expect(events).toHaveLength(total);
    const expected = new Set(events.map((e) => e.event_id));
    const seen = new Set<string>();
    let checked = 0;
    const messages = await readUntil(
      topic,
      from,
      (all) => {
        for (; checked < all.length; checked += 1) {
          const eventId = all[checked]?.headers.eventId;
          if (eventId && expected.has(eventId)) seen.add(eventId);
        }
        return seen.size === expected.size;
      },
      240_000,
    );
    const relayed = messages.filter((m) => m.headers.eventId && expected.has(m.headers.eventId));
    const duplicates = relayed.length - new Set(relayed.map((m) => m.headers.eventId)).size;
    process.stdout.write(
      `[relay crash test] ${expected.size} events, ${relayed.length} messages, ${duplicates} duplicates after kill -9\n`,
    );
    expect(new Set(relayed.map((m) => m.headers.eventId)).size).toBe(total);
  }, 600_000);
});
