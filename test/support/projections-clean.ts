import { eventSourceOf, projections } from '../../services/cli/projection-set';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { DocumentStore } from '../../services/shared/projection/document-store';
import { verifyProjection, type Drift } from '../../services/shared/projection/verify';
import { waitFor } from './wait-for';
import { elasticsearchClient } from '../../services/shared/elasticsearch/elasticsearch-client';

/**
 * Waits (bounded) until the read model behind `queryUrl` has applied the newest accepted
 * version of every aggregate, using the same consistency tokens a client would send.
 */
export async function awaitProjected(
  queryUrl: (id: string) => string,
  accepted: ReadonlyArray<{ id: string; version: number }>,
  timeoutMs = 90_000,
): Promise<void> {
  const newest = new Map<string, number>();
  for (const { id, version } of accepted) newest.set(id, Math.max(version, newest.get(id) ?? 0));
  const deadline = Date.now() + timeoutMs;
  for (const [id, version] of newest) {
    let status = 0;
    // Each look waits server-side for the token (CONSISTENCY_WAIT_MS), so none is skipped.
    await waitFor(
      () => `${id}@${version} projected (last answer ${status})`,
      async () => {
        const headers = { 'X-Consistency-Token': `${id}@${version}` };
        status = (await fetch(queryUrl(id), { headers })).status;
        return status === 200;
      },
      { timeoutMs: Math.max(0, deadline - Date.now()), pollMs: 0 },
    );
  }
}

/** The two read models the pipeline and fault tests run and check (valuation has tests of its own). */
export const searchAndAnalytics = ['property-search', 'market-analytics'] as const;

/**
 * `projections verify` for every projection (or the named ones: a test that runs only some
 * projectors), limited to the given aggregates: what the event store says each document
 * should be against what the index holds.
 */
export async function projectionDrift(
  ids: ReadonlySet<string>,
  only?: readonly string[],
): Promise<Record<string, Drift[]>> {
  const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);
  const drift: Record<string, Drift[]> = {};
  try {
    for (const projection of projections.filter((p) => !only || only.includes(p.name))) {
      const source = eventSourceOf(projection);
      try {
        const report = await verifyProjection(es, projection, source.readAll, false);
        drift[projection.name] = report.drift.filter((d) => ids.has(d.id));
      } finally {
        await source.close();
      }
    }
  } finally {
    await es.close();
  }
  return drift;
}

/**
 * Makes every projection's index and alias, as its projector does on start, so that an
 * API-only test on a fresh stack reaches the queries instead of the documented 503 for a
 * read model that does not exist yet.
 */
export async function ensureReadModelIndices(): Promise<void> {
  const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);
  try {
    for (const projection of projections) await new DocumentStore(es, projection).ensureIndex();
  } finally {
    await es.close();
  }
}
