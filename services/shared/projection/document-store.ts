import type { Client, estypes } from '@elastic/elasticsearch';
import type { Fact } from './fold';
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

  /** The alias of the fact documents, if the projection has facts. */
  get factsAlias(): string {
    return `${this.projection.alias}-facts`;
  }

  /** Creates `<alias>-<timestamp>` (and its facts index) behind the aliases, unless they exist. */
  async ensureIndex(): Promise<string> {
    const alias = this.projection.alias;
    if (await this.es.indices.existsAlias({ name: alias })) {
      const current = await this.es.indices.getAlias({ name: alias });
      return Object.keys(current)[0] as string;
    }
    const { index, factsIndex } = await this.createPhysicalIndices();
    await this.es.indices.updateAliases({
      actions: [
        { add: { index, alias, is_write_index: true } },
        ...(factsIndex ? [{ add: { index: factsIndex, alias: this.factsAlias, is_write_index: true } }] : []),
      ],
    });
    return index;
  }

  /** New, empty physical indices with the projection's mappings (used for rebuilds too). */
  async createPhysicalIndices(
    settings: estypes.IndicesIndexSettings = {},
  ): Promise<{ index: string; factsIndex?: string }> {
    const stamp = new Date()
      .toISOString()
      .replace(/[-:.TZ]/g, '')
      .toLowerCase();
    const create = (index: string, mappings: estypes.MappingTypeMapping) =>
      this.es.indices.create({
        index,
        settings: { number_of_shards: 1, number_of_replicas: 0, ...settings },
        mappings,
      });
    const index = `${this.projection.alias}-${stamp}`;
    await create(index, this.projection.mappings);
    if (!this.projection.facts) return { index };
    const factsIndex = `${this.factsAlias}-${stamp}`;
    await create(factsIndex, this.projection.facts.mappings);
    return { index, factsIndex };
  }

  async getMany(ids: string[], index = this.projection.alias): Promise<Map<string, D>> {
    const docs = new Map<string, D>();
    if (ids.length === 0) return docs;
    const response = await this.es.mget<D>({ index, ids, realtime: true });
    for (const doc of response.docs)
      if ('found' in doc && doc.found && doc._source) docs.set(doc._id, doc._source);
    return docs;
  }

  /**
   * One bulk request: documents with external versions, facts with create-only (a fact
   * that exists is a duplicate). Outcomes name the projected document each write serves.
   */
  async write(
    documents: Map<string, D>,
    facts: Fact[] = [],
    target: { index: string; factsIndex?: string } = {
      index: this.projection.alias,
      factsIndex: this.factsAlias,
    },
  ): Promise<WriteOutcome[]> {
    if (documents.size === 0 && facts.length === 0) return [];
    // Bulk bodies alternate action lines and documents.
    const operations: Array<estypes.BulkOperationContainer | object> = [];
    const served: string[] = [];
    for (const [id, doc] of documents) {
      operations.push(
        { index: { _index: target.index, _id: id, version: doc.version, version_type: 'external' } },
        doc,
      );
      served.push(id);
    }
    for (const fact of facts) {
      operations.push(
        { create: { _index: target.factsIndex ?? this.factsAlias, _id: fact.id } },
        fact.document,
      );
      served.push(fact.docId);
    }
    const response = await this.es.bulk({ operations });
    return response.items.map((item, i): WriteOutcome => {
      const result = (item.index ?? item.create) as estypes.BulkResponseItem;
      const id = served[i] as string;
      if (!result.error) return { id, result: 'written' };
      const reason = `${result.error.type}: ${result.error.reason ?? ''}`;
      if (result.status === 409) return { id, result: 'stale' };
      if (result.status === 429 || result.status >= 500) return { id, result: 'transient', reason };
      return { id, result: 'rejected', reason };
    });
  }
}
