import type { Client, estypes } from '@elastic/elasticsearch';
import { TransientError } from '../errors/transient';

export const parkingIndex = 'deedstream-projection-parking';

export interface ParkedKey {
  projection: string;
  aggregateId: string;
  parkedAt: string;
  /** Messages parked for this key so far; changes whenever one more is parked. */
  parkedMessages: number;
  lastError: string;
}

interface ParkingVersion {
  seqNo: number;
  primaryTerm: number;
}

/**
 * Which aggregates of a projection have a message in the DLQ. Kept in Elasticsearch
 * beside the read models, so parking survives restarts and a replay in another process
 * can lift it. While a key is parked, its later messages are parked behind it.
 */
export class ParkedKeys {
  constructor(
    private readonly es: Client,
    private readonly projection: string,
    /** Replicas of the parking index (shared by every projection: one shard is plenty). */
    private readonly replicas = 0,
  ) {}

  async ensureIndex(): Promise<void> {
    const exists = await this.es.indices.exists({ index: parkingIndex });
    if (exists) return;
    await this.es.indices
      .create({
        index: parkingIndex,
        settings: { number_of_replicas: this.replicas },
        mappings: {
          dynamic: 'strict',
          properties: {
            projection: { type: 'keyword' },
            aggregateId: { type: 'keyword' },
            parkedAt: { type: 'date' },
            parkedMessages: { type: 'integer' },
            lastError: { type: 'text' },
          },
        },
      })
      .catch((error: { meta?: { body?: { error?: { type?: string } } } }) => {
        // Another runner created it first.
        if (error.meta?.body?.error?.type !== 'resource_already_exists_exception') throw error;
      });
  }

  private id(aggregateId: string): string {
    return `${this.projection}:${aggregateId}`;
  }

  /** The subset of `aggregateIds` that is parked now. */
  async parkedAmong(aggregateIds: string[]): Promise<Set<string>> {
    if (aggregateIds.length === 0) return new Set();
    const response = await this.es.mget({ docs: this.lookups(aggregateIds), realtime: true });
    return this.parkedFrom(response.docs);
  }

  /** The `_mget` entries that read the parking of `aggregateIds`: one request may carry other reads too. */
  lookups(aggregateIds: readonly string[]): estypes.MgetOperation[] {
    return aggregateIds.map((id) => ({ _index: parkingIndex, _id: this.id(id) }));
  }

  /** The parked keys among the answers to `lookups`. */
  parkedFrom(docs: readonly estypes.MgetResponseItem[]): Set<string> {
    const parked = new Set<string>();
    for (const doc of docs) {
      // Unknown is not "not parked": letting a parked key's message through would break its order.
      if ('error' in doc)
        throw new TransientError(`parking of ${doc._id}: ${doc.error.type}: ${doc.error.reason ?? ''}`);
      if (doc.found && doc._source) parked.add((doc._source as ParkedKey).aggregateId);
    }
    return parked;
  }

  async park(aggregateId: string, error: string, messages: number): Promise<void> {
    const current = await this.get(aggregateId);
    await this.es.index({
      index: parkingIndex,
      id: this.id(aggregateId),
      document: {
        projection: this.projection,
        aggregateId,
        parkedAt: current?.doc.parkedAt ?? new Date().toISOString(),
        parkedMessages: (current?.doc.parkedMessages ?? 0) + messages,
        lastError: error.slice(0, 2000),
      } satisfies ParkedKey,
    });
  }

  async get(aggregateId: string): Promise<{ doc: ParkedKey; version: ParkingVersion } | undefined> {
    const response = await this.es.get<ParkedKey>(
      { index: parkingIndex, id: this.id(aggregateId), realtime: true },
      { ignore: [404] },
    );
    if (!response.found || !response._source) return undefined;
    return {
      doc: response._source,
      version: { seqNo: response._seq_no as number, primaryTerm: response._primary_term as number },
    };
  }

  async list(): Promise<ParkedKey[]> {
    await this.ensureIndex();
    const response = await this.es.search<ParkedKey>({
      index: parkingIndex,
      size: 10_000,
      query: { term: { projection: this.projection } },
      sort: [{ parkedAt: 'asc' }],
    });
    return response.hits.hits.flatMap((hit) => (hit._source ? [hit._source] : []));
  }

  /**
   * Lifts parking only if nothing was parked since `seen` was read (optimistic
   * concurrency): a message parked meanwhile must be replayed first.
   */
  async unpark(aggregateId: string, seen: ParkingVersion): Promise<boolean> {
    const response = await this.es.delete(
      {
        index: parkingIndex,
        id: this.id(aggregateId),
        if_seq_no: seen.seqNo,
        if_primary_term: seen.primaryTerm,
        refresh: 'wait_for',
      },
      { ignore: [409] },
    );
    return response.result === 'deleted';
  }
}
