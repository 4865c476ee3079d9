import type { Client, estypes } from '@elastic/elasticsearch';
import type { Projection, VersionedDocument } from './projection';

export type WriteOutcome =
  | { id: string; result: 'written' }
  /** Elasticsearch already holds this version or a newer one: a duplicate, nothing to do. */
  | { id: string; result: 'stale' }
  | { id: string; result: 'rejected'; reason: string }
  | { id: string; result: 'transient'; reason: string };

/**
 * A projection's documents in Elasticsearch, behind its alias. Writes use external
 * versioning with the aggregate version, so Elasticsearch itself refuses to let an
 * older or duplicate event overwrite newer state, whatever order writers arrive in.
 */
export class DocumentStore<D extends VersionedDocument> {
  constructor(
    private readonly es: Client,
    private readonly projection: Projection<D>,
  ) {}

  /** Creates `<alias>-<timestamp>` and points the alias at it, unless the alias exists. */
  async ensureIndex(): Promise<string> {
    const alias = this.projection.alias;
    if (await this.es.indices.existsAlias({ name: alias })) {
      const current = await this.es.indices.getAlias({ name: alias });
      return Object.keys(current)[0] as string;
    }
    const index = await this.createPhysicalIndex();
    await this.es.indices.updateAliases({ actions: [{ add: { index, alias, is_write_index: true } }] });
    return index;
  }

  /** A new, empty physical index with the projection's mappings (used for rebuilds too). */
  async createPhysicalIndex(settings: estypes.IndicesIndexSettings = {}): Promise<string> {
    const index = `${this.projection.alias}-${new Date()
      .toISOString()
      .replace(/[-:.TZ]/g, '')
      .toLowerCase()}`;
    await this.es.indices.create({
      index,
      settings: { number_of_shards: 1, number_of_replicas: 0, ...settings },
      mappings: this.projection.mappings,
    });
    return index;
  }

  async getMany(ids: string[], index = this.projection.alias): Promise<Map<string, D>> {
    const docs = new Map<string, D>();
    if (ids.length === 0) return docs;
    const response = await this.es.mget<D>({ index, ids, realtime: true });
    for (const doc of response.docs)
      if ('found' in doc && doc.found && doc._source) docs.set(doc._id, doc._source);
    return docs;
  }

  async write(documents: Map<string, D>, index = this.projection.alias): Promise<WriteOutcome[]> {
    if (documents.size === 0) return [];
    // Bulk bodies alternate action lines and documents.
    const operations: Array<estypes.BulkOperationContainer | D> = [];
    for (const [id, doc] of documents) {
      operations.push(
        { index: { _index: index, _id: id, version: doc.version, version_type: 'external' } },
        doc,
      );
    }
    const response = await this.es.bulk({ operations });
    return response.items.map((item): WriteOutcome => {
      const result = item.index as estypes.BulkResponseItem;
      const id = result._id as string;
      if (!result.error) return { id, result: 'written' };
      const reason = `${result.error.type}: ${result.error.reason ?? ''}`;
      if (result.status === 409) return { id, result: 'stale' };
      if (result.status === 429 || result.status >= 500) return { id, result: 'transient', reason };
      return { id, result: 'rejected', reason };
    });
  }
}
