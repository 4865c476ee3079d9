import type { Client, estypes } from '@elastic/elasticsearch';
import { TransientError } from '../errors/transient';
import type { Fact } from './fold';
import type { Projection, VersionedDocument } from './projection';

export type WriteOutcome =
  | { id: string; result: 'written' }
  /** A fact that already exists: its event was applied before. */
  | { id: string; result: 'duplicate' }
  /** The document changed since it was read (another writer): re-read and apply again. */
  | { id: string; result: 'conflict' }
  | { id: string; result: 'rejected'; reason: string }
  | { id: string; result: 'transient'; reason: string };

/** Where a document stood when it was read, for a compare-and-set write. */
export interface ReadVersion {
  seqNo: number;
  primaryTerm: number;
}

/** Documents as read, with the sequence numbers a compare-and-set write needs. */
/**
 * How soon writes become searchable: the documents (what freshness is about) and the facts
 * (aggregated over days; each refresh of an index costs Elasticsearch a new segment).
 */
export interface RefreshIntervals {
  documents: string;
  facts: string;
}

/**
 * How a projection's indices are laid out on the cluster: primary shards (fixed when an index
 * is made; a change takes a rebuild) and replicas of each (0 on one node; a change applies at
 * the next start).
 */
export interface IndexLayout {
  shards: number;
  replicas: number;
}

/** One node, one shard: the local stack. */
export const singleNodeLayout: IndexLayout = { shards: 1, replicas: 0 };

export class LoadedDocuments<D> extends Map<string, D> {
  readonly versions = new Map<string, ReadVersion>();
}

/**
 * A projection's documents in Elasticsearch, behind its alias. Every document carries the
 * aggregate version it reflects; folding skips events at or below it, and the write is a
 * compare-and-set on the sequence number read (or create-only for a new document), so an
 * older or duplicate event can never overwrite newer state, whatever the order of writers.
 */
export class DocumentStore<D extends VersionedDocument> {
  constructor(
    private readonly es: Client,
    private readonly projection: Projection<D>,
    private readonly layout: IndexLayout = singleNodeLayout,
  ) {}

  /** The alias of the fact documents, if the projection has facts. */
  get factsAlias(): string {
    return `${this.projection.alias}-facts`;
  }

  /**
   * Creates `<alias>-<timestamp>` (and its facts index) behind the aliases, unless they
   * exist; either way the live index gets `refresh.documents` and the facts index
   * `refresh.facts`, so a changed setting applies on the next start.
   */
  async ensureIndex(refresh: RefreshIntervals = { documents: '1s', facts: '1s' }): Promise<string> {
    const alias = this.projection.alias;
    if (await this.es.indices.existsAlias({ name: alias })) {
      const current = await this.es.indices.getAlias({ name: alias });
      const replicas = this.layout.replicas;
      await this.es.indices.putSettings({
        index: alias,
        settings: { refresh_interval: refresh.documents, number_of_replicas: replicas },
      });
      if (this.projection.facts)
        await this.es.indices.putSettings({
          index: this.factsAlias,
          settings: { refresh_interval: refresh.facts, number_of_replicas: replicas },
        });
      // Fields added to the mappings since the index was made are added to it (adding is
      // always allowed; a changed field type fails here, and needs a rebuild instead).
      await this.es.indices.putMapping({ index: alias, ...this.projection.mappings });
      if (this.projection.facts)
        await this.es.indices.putMapping({ index: this.factsAlias, ...this.projection.facts.mappings });
      return Object.keys(current)[0] as string;
    }
    const { index, factsIndex } = await this.createPhysicalIndices(refresh);
    await this.es.indices.updateAliases({
      actions: [
        { add: { index, alias, is_write_index: true } },
        ...(factsIndex ? [{ add: { index: factsIndex, alias: this.factsAlias, is_write_index: true } }] : []),
      ],
    });
    return index;
  }

  /** New, empty physical indices with the projection's mappings (used for rebuilds too). */
  async createPhysicalIndices(refresh?: RefreshIntervals): Promise<{ index: string; factsIndex?: string }> {
    const stamp = new Date()
      .toISOString()
      .replace(/[-:.TZ]/g, '')
      .toLowerCase();
    const create = (index: string, mappings: estypes.MappingTypeMapping, refreshInterval?: string) =>
      this.es.indices.create({
        index,
        settings: {
          number_of_shards: this.layout.shards,
          number_of_replicas: this.layout.replicas,
          ...(refreshInterval ? { refresh_interval: refreshInterval } : {}),
        },
        mappings,
      });
    const index = `${this.projection.alias}-${stamp}`;
    await create(index, this.projection.mappings, refresh?.documents);
    if (!this.projection.facts) return { index };
    const factsIndex = `${this.factsAlias}-${stamp}`;
    await create(factsIndex, this.projection.facts.mappings, refresh?.facts);
    return { index, factsIndex };
  }

  async getMany(ids: string[], index = this.projection.alias): Promise<LoadedDocuments<D>> {
    if (ids.length === 0) return new LoadedDocuments<D>();
    const response = await this.es.mget({ docs: this.lookups(ids, index), realtime: true });
    return this.loadedFrom(response.docs);
  }

  /** The `_mget` entries that read documents `ids` of `index`: one request may carry other reads too. */
  lookups(ids: readonly string[], index = this.projection.alias): estypes.MgetOperation[] {
    return ids.map((id) => ({ _index: index, _id: id }));
  }

  /** The documents among the answers to `lookups`, with the versions they were read at. */
  loadedFrom(answers: readonly estypes.MgetResponseItem[]): LoadedDocuments<D> {
    const docs = new LoadedDocuments<D>();
    for (const doc of answers) {
      // A per-document error (a shard still recovering after a restart) is not "absent":
      // folding onto a missing document would refuse the event as a version gap and park it.
      if ('error' in doc)
        throw new TransientError(`reading ${doc._id}: ${doc.error.type}: ${doc.error.reason ?? ''}`);
      if (!doc.found || !doc._source) continue;
      // The projection wrote every document of its index: its shape is the projection's.
      docs.set(doc._id, doc._source as D);
      docs.versions.set(doc._id, { seqNo: doc._seq_no as number, primaryTerm: doc._primary_term as number });
    }
    return docs;
  }

  /**
   * One bulk request: each document as a compare-and-set against the version it was read
   * at (`read`), or create-only if it was not there; facts create-only (one that exists is
   * a duplicate). Outcomes name the projected document each write serves.
   */
  async write(
    documents: Map<string, D>,
    facts: Fact[] = [],
    target: { index: string; factsIndex?: string } = {
      index: this.projection.alias,
      factsIndex: this.factsAlias,
    },
    read: Map<string, ReadVersion> = new Map(),
  ): Promise<WriteOutcome[]> {
    if (documents.size === 0 && facts.length === 0) return [];
    // Bulk bodies alternate action lines and documents.
    const operations: Array<estypes.BulkOperationContainer | object> = [];
    const served: Array<{ id: string; fact: boolean }> = [];
    for (const [id, doc] of documents) {
      const seen = read.get(id);
      operations.push(
        seen
          ? {
              index: {
                _index: target.index,
                _id: id,
                if_seq_no: seen.seqNo,
                if_primary_term: seen.primaryTerm,
              },
            }
          : { create: { _index: target.index, _id: id } },
        doc,
      );
      served.push({ id, fact: false });
    }
    for (const fact of facts) {
      operations.push(
        { create: { _index: target.factsIndex ?? this.factsAlias, _id: fact.id } },
        fact.document,
      );
      served.push({ id: fact.docId, fact: true });
    }
    const response = await this.es.bulk({ operations });
    return response.items.map((item, i): WriteOutcome => {
      const result = (item.index ?? item.create) as estypes.BulkResponseItem;
      const { id, fact } = served[i] as { id: string; fact: boolean };
      if (!result.error) return { id, result: 'written' };
      const reason = `${result.error.type}: ${result.error.reason ?? ''}`;
      if (result.status === 409) return { id, result: fact ? 'duplicate' : 'conflict' };
      if (result.status === 429 || result.status >= 500) return { id, result: 'transient', reason };
      return { id, result: 'rejected', reason };
    });
  }

  /**
   * Deletes facts by id from the facts index (`factsIndex`, else through the alias): undoes the
   * facts of events that are parked after all. One missing is fine; any other failure is
   * transient, so the batch is retried and deletes them again.
   */
  async deleteFacts(ids: readonly string[], factsIndex: string = this.factsAlias): Promise<void> {
    if (ids.length === 0) return;
    const response = await this.es.bulk({
      operations: ids.map((id) => ({ delete: { _index: factsIndex, _id: id } })),
    });
    for (const item of response.items) {
      const result = item.delete;
      if (result?.error)
        throw new TransientError(
          `deleting fact ${result._id ?? ''}: ${result.error.type}: ${result.error.reason ?? ''}`,
        );
    }
  }
}
