import { randomUUID } from 'node:crypto';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { elasticsearchClient } from '../../services/shared/elasticsearch/elasticsearch-client';

const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);

describe('Elasticsearch (native stack)', () => {
  const index = `smoke-${randomUUID()}`;
  afterAll(async () => {
    await es.indices.delete({ index }, { ignore: [404] });
    await es.close();
  });

  it('answers as Elasticsearch (the header the official client requires)', async () => {
    const response = await es.info({}, { meta: true });
    expect(response.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(response.body.version.number).toMatch(/^8\.19\./);
  });

  it('indexes a document and finds it by full text and geo distance', async () => {
    await es.indices.create({
      index,
      mappings: {
        properties: { street: { type: 'text' }, location: { type: 'geo_point' }, price: { type: 'long' } },
      },
    });
    await es.index({
      index,
      id: 'p-1',
      document: { street: '12 Canal Street', location: { lat: 52.37, lon: 4.89 }, price: 450000 },
      refresh: 'wait_for',
    });
    await es.index({
      index,
      id: 'p-2',
      document: { street: '3 Harbour Road', location: { lat: 51.92, lon: 4.48 }, price: 300000 },
      refresh: 'wait_for',
    });

    const byText = await es.search({ index, query: { match: { street: 'canal' } } });
    expect(byText.hits.hits.map((hit) => hit._id)).toEqual(['p-1']);

    const nearRotterdam = await es.search({
      index,
      query: {
        bool: { filter: { geo_distance: { distance: '10km', location: { lat: 51.92, lon: 4.47 } } } },
      },
    });
    expect(nearRotterdam.hits.hits.map((hit) => hit._id)).toEqual(['p-2']);
  });

  it('answers through the nodes alive when a listed node is gone, failing fast when none is', async () => {
    const alive = infrastructureConfig().ELASTICSEARCH_URL;
    // Port 1 refuses every connection, as a node that died does.
    const withDeadNode = elasticsearchClient(`http://127.0.0.1:1,${alive}`, { failFast: true });
    const noneAlive = elasticsearchClient('http://127.0.0.1:1,http://127.0.0.1:2', { failFast: true });
    try {
      for (let call = 0; call < 4; call++) expect((await withDeadNode.info()).version.number).toMatch(/^8\./);
      await expect(noneAlive.info()).rejects.toThrow(/ECONNREFUSED|ConnectionError|connect/i);
    } finally {
      await withDeadNode.close();
      await noneAlive.close();
    }
  });
});
