import { createHash } from 'node:crypto';
import type { Client, estypes } from '@elastic/elasticsearch';
import type { RecordedEvent } from '../domain/domain-event';
import type { ProjectedEvent, Projection, VersionedDocument } from './projection';

export interface Drift {
  id: string;
  kind: 'missing' | 'stale' | 'extra';
  detail: string;
}

export interface VerifyReport {
  streams: number;
  events: number;
  documents: number;
  drift: Drift[];
  repaired: number;
}

/** The event as the relay would have delivered it: same id, type, version, time and payload. */
export function asProjectedEvent(recorded: RecordedEvent): ProjectedEvent {
  return {
    aggregateId: recorded.streamId,
    eventId: recorded.eventId,
    eventType: recorded.event.type,
    version: recorded.version,
    occurredAt: recorded.occurredAt.toISOString(),
    data: recorded.event.data as Record<string, unknown>,
    topic: 'event-store',
    partition: -1,
    offset: recorded.position.toString(),
  };
}

/** A content hash that ignores key order. */
export function contentHash(value: unknown): string {
  const canonical = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      return `{${Object.keys(v as object)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
        .join(',')}}`;
    }
    return JSON.stringify(v ?? null);
  };
  return createHash('sha256').update(canonical(value)).digest('hex');
}

/**
 * Folds the event store (the source of truth) into the documents the projection should
 * hold and compares them with the index: version and content hash per document. With
 * `repair`, re-projects just the documents that differ and deletes extra ones.
 */
export async function verifyProjection<D extends VersionedDocument>(
  es: Client,
  projection: Projection<D>,
  readAll: (afterPosition: bigint, limit: number) => Promise<RecordedEvent[]>,
  repair: boolean,
): Promise<VerifyReport> {
  const { expected, streams, events } = await expectedDocuments(projection, readAll);
  const actual = await indexedDocuments<D>(es, projection.alias);
  const drift = driftBetween(expected, actual);
  const repaired = repair ? await repairDrift(es, projection.alias, drift, expected) : 0;
  return { streams, events, documents: expected.size, drift, repaired };
}

/** The documents the projection should hold: every event of the store folded, in order. */
async function expectedDocuments<D extends VersionedDocument>(
  projection: Projection<D>,
  readAll: (afterPosition: bigint, limit: number) => Promise<RecordedEvent[]>,
): Promise<{ expected: Map<string, D>; streams: number; events: number }> {
  const expected = new Map<string, D>();
  const streams = new Set<string>();
  let events = 0;
  for (let after = 0n; ;) {
    const page = await readAll(after, 5_000);
    if (page.length === 0) break;
    for (const recorded of page) {
      const event = asProjectedEvent(recorded);
      const id = projection.documentId(event);
      const next = projection.apply(expected.get(id), event);
      if (next) expected.set(id, next);
      streams.add(recorded.streamId);
    }
    events += page.length;
    after = (page.at(-1) as RecordedEvent).position;
  }
  return { expected, streams: streams.size, events };
}

/** Every document behind the alias, as it is now. */
async function indexedDocuments<D>(es: Client, alias: string): Promise<Map<string, D>> {
  const actual = new Map<string, D>();
  // Searches see only refreshed documents; the projector writes without refreshing.
  await es.indices.refresh({ index: alias });
  // A point in time gives one consistent view to page through with search_after.
  const pit = await es.openPointInTime({ index: alias, keep_alive: '2m' });
  try {
    let searchAfter: estypes.SortResults | undefined;
    for (;;) {
      const response = await es.search<D>({
        pit: { id: pit.id, keep_alive: '2m' },
        size: 5_000,
        sort: [{ _shard_doc: 'asc' }],
        ...(searchAfter ? { search_after: searchAfter } : {}),
      });
      for (const hit of response.hits.hits) if (hit._source) actual.set(hit._id as string, hit._source);
      if (response.hits.hits.length < 5_000) break;
      searchAfter = response.hits.hits.at(-1)?.sort;
    }
  } finally {
    await es.closePointInTime({ id: pit.id }).catch(() => undefined);
  }
  return actual;
}

/** Documents missing from the index, behind or different there, and extra ones. */
function driftBetween<D extends VersionedDocument>(
  expected: Map<string, D>,
  actual: Map<string, D>,
): Drift[] {
  const drift: Drift[] = [];
  for (const [id, doc] of expected) {
    const found = actual.get(id);
    if (!found) drift.push({ id, kind: 'missing', detail: `expected v${doc.version}` });
    else if (found.version !== doc.version)
      drift.push({ id, kind: 'stale', detail: `index has v${found.version}, event store v${doc.version}` });
    else if (contentHash(found) !== contentHash(doc))
      drift.push({ id, kind: 'stale', detail: `v${doc.version} content differs from the event store's` });
  }
  for (const id of actual.keys())
    if (!expected.has(id)) drift.push({ id, kind: 'extra', detail: 'no such aggregate in the event store' });
  return drift;
}

/** Writes the expected document of each drift, or deletes an extra one; answers how many. */
async function repairDrift<D extends VersionedDocument>(
  es: Client,
  alias: string,
  drift: readonly Drift[],
  expected: Map<string, D>,
): Promise<number> {
  let repaired = 0;
  for (const d of drift) {
    const doc = expected.get(d.id);
    // A plain write: the document's own version field, not Elasticsearch's, guards later events.
    if (doc) await es.index({ index: alias, id: d.id, document: doc });
    else await es.delete({ index: alias, id: d.id }, { ignore: [404] });
    repaired += 1;
  }
  if (repaired > 0) await es.indices.refresh({ index: alias });
  return repaired;
}
