import { randomUUID } from 'node:crypto';
import { counterProjection, type CounterDocument } from '../../../test/support/counter-projection';
import type { RecordedEvent } from '../domain/domain-event';
import { infrastructureConfig } from '../service/infrastructure';
import { DocumentStore } from './document-store';
import { foldEvent } from './fold';
import { asProjectedEvent, verifyProjection } from './verify';
import { elasticsearchClient } from '../elasticsearch/elasticsearch-client';

/**
 * verify against the real Elasticsearch: the event store (here an in-memory log of the
 * test-only counter projection's events) folded into what each document should be, compared
 * with what the index holds, and the repair of what differs.
 */
const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);
const projection = counterProjection(randomUUID().slice(0, 8));
const store = new DocumentStore(es, projection);

beforeAll(() => store.ensureIndex());

afterAll(async () => {
  const indices = Object.keys(await es.indices.get({ index: `${projection.alias}*` }, { ignore: [404] }));
  if (indices.length > 0) await es.indices.delete({ index: indices });
  await es.close();
});

/** An event log: counters with their amounts, recorded in turn with increasing positions. */
class EventLog {
  readonly events: RecordedEvent[] = [];
  /** How many pages were read, and the largest page asked for. */
  reads = 0;
  limit = 0;

  record(streamId: string, amounts: readonly number[]): this {
    const at = (version: number, event: RecordedEvent['event']): RecordedEvent => {
      const eventId = randomUUID();
      return {
        event,
        eventId,
        streamId,
        streamType: 'counter',
        version,
        position: BigInt(this.events.length + 1),
        schemaVersion: 1,
        occurredAt: new Date(),
        metadata: { eventId, correlationId: eventId, causationId: null, traceparent: null, actor: null },
      };
    };
    this.events.push(at(1, { type: 'CounterOpened', data: { label: streamId } }));
    for (const [i, amount] of amounts.entries())
      this.events.push(at(i + 2, { type: 'CounterAdded', data: { amount } }));
    return this;
  }

  readonly readAll = async (after: bigint, limit: number): Promise<RecordedEvent[]> => {
    this.reads += 1;
    this.limit = Math.max(this.limit, limit);
    return this.events.filter((e) => e.position > after).slice(0, limit);
  };

  /** The documents the log folds to, as a runner would write them. */
  fold(): Map<string, CounterDocument> {
    const documents = new Map<string, CounterDocument>();
    for (const recorded of this.events) foldEvent(projection, documents, asProjectedEvent(recorded));
    return documents;
  }
}

/** Writes `documents` as they are (a plain index: the test plays the projector, then tampers). */
async function put(documents: Map<string, CounterDocument>): Promise<void> {
  const operations = [...documents].flatMap(([id, doc]) => [
    { index: { _index: projection.alias, _id: id } },
    doc,
  ]);
  const answer = await es.bulk({ operations, refresh: true });
  expect(answer.errors).toBe(false);
}

/** Empties the index (by id: this stack's Elasticsearch has no delete-by-query). */
async function clear(): Promise<void> {
  await es.indices.refresh({ index: projection.alias });
  const hits = (await es.search({ index: projection.alias, size: 10_000, _source: false })).hits.hits;
  if (hits.length > 0)
    await es.bulk({
      refresh: true,
      operations: hits.map((h) => ({ delete: { _index: projection.alias, _id: h._id } })),
    });
}

describe('verifyProjection', () => {
  afterEach(clear);

  it('finds no drift in a faithful index, then each kind of drift, and repairs exactly those documents', async () => {
    const [same, edited, bumped, lost, extra] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    const log = new EventLog()
      .record(same, [1, 2])
      .record(edited, [3])
      .record(bumped, [4, 5])
      .record(lost, []);
    const expected = log.fold();
    await put(expected);

    const healthy = await verifyProjection(es, projection, log.readAll, false);
    expect(healthy).toEqual({ streams: 4, events: 9, documents: 4, drift: [], repaired: 0 });

    // Behind the projector's back: content edited (version kept), version moved, one deleted, one made up.
    const doc = (id: string) => expected.get(id) as CounterDocument;
    await put(
      new Map([
        [edited, { ...doc(edited), total: 999 }],
        [bumped, { ...doc(bumped), version: 9 }],
        [extra, { ...doc(lost), id: extra, label: 'made up' }],
      ]),
    );
    await es.delete({ index: projection.alias, id: lost, refresh: true });

    const drifted = await verifyProjection(es, projection, log.readAll, false);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect([...drifted.drift].sort(byId)).toEqual(
      [
        { id: edited, kind: 'stale', detail: "v2 content differs from the event store's" },
        { id: bumped, kind: 'stale', detail: 'index has v9, event store v3' },
        { id: lost, kind: 'missing', detail: 'expected v1' },
        { id: extra, kind: 'extra', detail: 'no such aggregate in the event store' },
      ].sort(byId),
    );
    expect(drifted.repaired).toBe(0);

    const repaired = await verifyProjection(es, projection, log.readAll, true);
    expect(repaired.repaired).toBe(4);
    expect((await verifyProjection(es, projection, log.readAll, false)).drift).toEqual([]);
    const held = await es.search<CounterDocument>({
      index: projection.alias,
      size: 100,
      sort: [{ id: 'asc' }],
    });
    expect(held.hits.hits.map((h) => h._source)).toEqual([...expected.values()].sort(byId));
  });

  it('reads every page of the event store and of the index', async () => {
    // One more than a page of each (verify reads 5,000 events and 5,000 documents at a time).
    const log = new EventLog();
    for (let i = 0; i < 5_001; i += 1) log.record(randomUUID(), []);
    log.record(randomUUID(), [7]);
    const expected = log.fold();
    await put(expected);

    const report = await verifyProjection(es, projection, log.readAll, false);
    expect(report).toEqual({ streams: 5_002, events: 5_003, documents: 5_002, drift: [], repaired: 0 });
    // Two pages and the empty one that ends the read.
    expect({ reads: log.reads, limit: log.limit }).toEqual({ reads: 3, limit: 5_000 });
  });
});
