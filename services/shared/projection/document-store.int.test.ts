import { randomUUID } from 'node:crypto';
import { infrastructureConfig } from '../service/infrastructure';
import { DocumentStore } from './document-store';
import type { Projection, VersionedDocument } from './projection';
import { elasticsearchClient } from '../elasticsearch/elasticsearch-client';

/** How a projection's indices are made and kept on the real Elasticsearch: their layout and refresh. */
const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);
const suffix = randomUUID().slice(0, 8);
const projection: Projection<VersionedDocument> = {
  name: `it-layout-${suffix}`,
  streams: [],
  alias: `it-layout-${suffix}`,
  mappings: { dynamic: 'strict', properties: { version: { type: 'integer' } } },
  documentId: (event) => event.aggregateId,
  apply: () => undefined,
  facts: { mappings: { properties: { at: { type: 'date' } } }, of: () => [] },
};

afterAll(async () => {
  const indices = Object.keys(await es.indices.get({ index: `${projection.alias}*` }, { ignore: [404] }));
  if (indices.length > 0) await es.indices.delete({ index: indices });
  await es.close();
});

/** The settings of the indices behind an alias, as Elasticsearch reports them. */
async function settingsOf(alias: string) {
  const answer = await es.indices.getSettings({ index: alias });
  return Object.values(answer).map(({ settings }) => ({
    shards: settings?.index?.number_of_shards,
    replicas: settings?.index?.number_of_replicas,
    refresh: settings?.index?.refresh_interval,
  }));
}

describe('DocumentStore indices', () => {
  it('are made with the layout and refresh asked for, and take new replicas and refresh at the next start', async () => {
    const first = new DocumentStore(es, projection, { shards: 2, replicas: 0 });
    const index = await first.ensureIndex({ documents: '250ms', facts: '1s' });
    expect(index.startsWith(`${projection.alias}-`)).toBe(true);
    expect(await settingsOf(projection.alias)).toEqual([{ shards: '2', replicas: '0', refresh: '250ms' }]);
    expect(await settingsOf(first.factsAlias)).toEqual([{ shards: '2', replicas: '0', refresh: '1s' }]);

    // Started again with other settings: the same index, its replicas and refresh changed; its
    // shards stay (fixed per index: a rebuild makes new indices with the new count).
    const again = new DocumentStore(es, projection, { shards: 3, replicas: 1 });
    expect(await again.ensureIndex({ documents: '1s', facts: '5s' })).toBe(index);
    expect(await settingsOf(projection.alias)).toEqual([{ shards: '2', replicas: '1', refresh: '1s' }]);
    expect(await settingsOf(again.factsAlias)).toEqual([{ shards: '2', replicas: '1', refresh: '5s' }]);
  });
});
