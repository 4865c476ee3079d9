import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import type { Finding, ScanSummary } from './finding';
import type { ValueProbe } from './value-probe';

const PAGE = 1_000;

/**
 * Every index of the cluster, hidden ones included (`deedstream-projection-parking`, an
 * alias's backing indices, a rebuild's half-filled index), except system indices (a
 * leading dot).
 */
export async function scannableIndices(es: Client): Promise<string[]> {
  const indices = await es.cat.indices({ format: 'json', expand_wildcards: 'all', h: 'index' });
  return indices
    .map((row) => row.index)
    .filter((index): index is string => typeof index === 'string' && !index.startsWith('.'))
    .sort();
}

/**
 * Pages through every document of each index (a point in time, search_after in shard
 * order) and probes its id and every key and string of its _source. Each index is
 * refreshed first, so documents written moments ago are read too.
 */
export async function scanIndices(
  es: Client,
  indices: readonly string[],
  probe: ValueProbe,
): Promise<ScanSummary> {
  const summary: ScanSummary = { findings: [], scanned: 0, unread: [] };
  for (const index of indices) {
    try {
      const result = await scanIndex(es, index, probe);
      summary.findings.push(...result.findings);
      summary.scanned += result.scanned;
    } catch (error) {
      if (!(error instanceof errors.ResponseError && error.statusCode === 404)) throw error;
      summary.unread.push(`elasticsearch index ${index}: no longer exists`);
    }
  }
  return summary;
}

async function scanIndex(
  es: Client,
  index: string,
  probe: ValueProbe,
): Promise<{ findings: Finding[]; scanned: number }> {
  await es.indices.refresh({ index, expand_wildcards: 'all' });
  const pit = await es.openPointInTime({ index, keep_alive: '2m', expand_wildcards: 'all' });
  const findings: Finding[] = [];
  let scanned = 0;
  try {
    let after: estypes.SortResults | undefined;
    for (;;) {
      const page = await es.search<unknown>({
        pit: { id: pit.id, keep_alive: '2m' },
        size: PAGE,
        sort: [{ _shard_doc: 'asc' }],
        ...(after ? { search_after: after } : {}),
      });
      for (const hit of page.hits.hits) {
        const where = `elasticsearch index ${hit._index} document ${hit._id}`;
        if (hit._id) findings.push(...(await probe.probe(hit._id, where, '_id')));
        findings.push(...(await probe.probe(hit._source, where, '_source')));
      }
      scanned += page.hits.hits.length;
      if (page.hits.hits.length < PAGE) break;
      after = page.hits.hits.at(-1)?.sort;
    }
  } finally {
    await es.closePointInTime({ id: pit.id }).catch(() => undefined);
  }
  return { findings, scanned };
}
