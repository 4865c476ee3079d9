import { randomUUID } from 'node:crypto';
import { counterProjection, type CounterDocument } from '../../../test/support/counter-projection';
import { infrastructureConfig } from '../service/infrastructure';
import { DocumentStore } from './document-store';
import { elasticsearchClient } from '../elasticsearch/elasticsearch-client';

/**
 * The writes every projector, replay and rebuild goes through, on the real Elasticsearch: what
 * makes a redelivered event or a concurrent writer harmless (create-only documents, compare-
 * and-set on the version read, create-only facts) and what is refused for good.
 */
const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);
const projection = counterProjection(randomUUID().slice(0, 8));
const store = new DocumentStore<CounterDocument>(es, projection);

beforeAll(() => store.ensureIndex());

afterAll(async () => {
  const indices = Object.keys(await es.indices.get({ index: `${projection.alias}*` }, { ignore: [404] }));
  if (indices.length > 0) await es.indices.delete({ index: indices });
  await es.close();
});

const counter = (id: string, version: number, total: number): CounterDocument => ({
  id,
  version,
  label: id,
  total,
  steps: [total],
});

describe('DocumentStore writes', () => {
  it('creates a document it did not read, and calls a second create of it a conflict', async () => {
    const id = randomUUID();
    expect(await store.write(new Map([[id, counter(id, 1, 1)]]))).toEqual([{ id, result: 'written' }]);
    // A writer that also found nothing, and applied another event: it must re-read, not overwrite.
    expect(await store.write(new Map([[id, counter(id, 2, 2)]]))).toEqual([{ id, result: 'conflict' }]);
    expect((await store.getMany([id])).get(id)).toEqual(counter(id, 1, 1));
  });

  it('replaces a document only at the version it was read at', async () => {
    const id = randomUUID();
    await store.write(new Map([[id, counter(id, 1, 1)]]));
    const read = await store.getMany([id]);
    expect(read.versions.get(id)).toEqual({ seqNo: expect.any(Number), primaryTerm: expect.any(Number) });

    expect(await store.write(new Map([[id, counter(id, 2, 2)]]), [], undefined, read.versions)).toEqual([
      { id, result: 'written' },
    ]);
    // Another writer with the same (now old) read loses.
    expect(await store.write(new Map([[id, counter(id, 2, 9)]]), [], undefined, read.versions)).toEqual([
      { id, result: 'conflict' },
    ]);
    expect((await store.getMany([id])).get(id)).toEqual(counter(id, 2, 2));
  });

  it('creates each fact once: the same fact again is a duplicate, reported for the document it serves', async () => {
    const [docId, factId] = [randomUUID(), randomUUID()];
    const fact = {
      id: factId,
      docId,
      document: { counterId: docId, amount: 3, at: new Date().toISOString() },
    };
    expect(await store.write(new Map(), [fact])).toEqual([{ id: docId, result: 'written' }]);
    expect(await store.write(new Map(), [{ ...fact, document: { ...fact.document, amount: 4 } }])).toEqual([
      { id: docId, result: 'duplicate' },
    ]);
    const held = await es.get<{ amount: number }>({ index: store.factsAlias, id: factId });
    expect(held._source?.amount).toBe(3);
  });

  it('rejects a document the mapping refuses, with the reason, and writes the others of the same request', async () => {
    const [refused, fine] = [randomUUID(), randomUUID()];
    const outcomes = await store.write(
      new Map([
        [refused, counter(refused, 1, 4_000_000_000)],
        [fine, counter(fine, 1, 1)],
      ]),
    );
    expect(outcomes).toEqual([
      {
        id: refused,
        result: 'rejected',
        reason: expect.stringMatching(
          /^document_parsing_exception: .*failed to parse field \[total\] of type \[integer\]/,
        ),
      },
      { id: fine, result: 'written' },
    ]);
    expect([...(await store.getMany([refused, fine])).keys()]).toEqual([fine]);
  });

  it('writes to the physical indices a rebuild names instead of through the aliases', async () => {
    const id = randomUUID();
    const target = await store.createPhysicalIndices();
    const fact = {
      id: randomUUID(),
      docId: id,
      document: { counterId: id, amount: 1, at: new Date().toISOString() },
    };
    expect(await store.write(new Map([[id, counter(id, 1, 1)]]), [fact], target)).toEqual([
      { id, result: 'written' },
      { id, result: 'written' },
    ]);
    expect((await store.getMany([id], target.index)).get(id)).toEqual(counter(id, 1, 1));
    expect((await store.getMany([id])).has(id)).toBe(false);
    expect((await es.get({ index: target.factsIndex as string, id: fact.id })).found).toBe(true);
  });
});
