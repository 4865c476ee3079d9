import type { Client } from '@elastic/elasticsearch';
import { now, sleep } from '../support/measure';
import type { Doc } from './context';

/** One commit of the latency phase, and when it was first seen applied and searchable. */
export interface Pending {
  id: string;
  version: number;
  committedAt: number;
  appliedAt?: number;
  searchableAt?: number;
}

const add = (map: Map<string, Pending[]>, p: Pending) => map.set(p.id, [...(map.get(p.id) ?? []), p]);

/**
 * Watches tracked commits become visible in an index. Every `pollMs` one realtime `mget` of
 * the pending ids marks the commits whose version the index holds ("applied"), and one `ids`
 * search (which sees only refreshed segments) marks those a search can find at that version
 * ("searchable"). A commit counts as seen at the poll that saw it: `pollMs` is the resolution.
 */
export class CommitVisibility {
  readonly tracked: Pending[] = [];
  private readonly unapplied = new Map<string, Pending[]>();
  private readonly unsearchable = new Map<string, Pending[]>();
  private polling = true;
  private stragglerDeadline = Number.POSITIVE_INFINITY;
  private poller: Promise<void> | undefined;

  constructor(
    private readonly es: Client,
    private readonly alias: string,
    readonly pollMs: number,
  ) {}

  track(p: Pending): void {
    this.tracked.push(p);
    add(this.unapplied, p);
    add(this.unsearchable, p);
  }

  start(): void {
    this.poller = this.poll();
  }

  /** Stops once every tracked commit is searchable, or `stragglerMs` from now at the latest. */
  async finish(stragglerMs: number): Promise<void> {
    this.stragglerDeadline = now() + stragglerMs;
    this.polling = false;
    await this.poller;
  }

  private async poll(): Promise<void> {
    const { es, alias, unapplied, unsearchable } = this;
    while (this.polling || unsearchable.size > 0) {
      const tick = now();
      const appliedIds = [...unapplied.keys()];
      if (appliedIds.length > 0) {
        const got = await es.mget<Pick<Doc, 'version'>>({
          index: alias,
          ids: appliedIds,
          realtime: true,
          _source_includes: ['version'],
        });
        const seen = now();
        for (const d of got.docs) {
          if (!('found' in d) || !d.found || !d._source) continue;
          const version = d._source.version;
          const waiting = unapplied.get(d._id) ?? [];
          for (const p of waiting) if (p.version <= version) p.appliedAt = seen;
          const rest = waiting.filter((p) => p.appliedAt === undefined);
          if (rest.length > 0) unapplied.set(d._id, rest);
          else unapplied.delete(d._id);
        }
      }
      const searchIds = [...unsearchable.keys()];
      if (searchIds.length > 0) {
        const found = await es.search<Pick<Doc, 'version'>>({
          index: alias,
          size: searchIds.length,
          query: { ids: { values: searchIds } },
          _source: ['version'],
        });
        const seen = now();
        for (const hit of found.hits.hits) {
          if (!hit._id || !hit._source) continue;
          const version = hit._source.version;
          const waiting = unsearchable.get(hit._id) ?? [];
          for (const p of waiting) if (p.version <= version) p.searchableAt = seen;
          const rest = waiting.filter((p) => p.searchableAt === undefined);
          if (rest.length > 0) unsearchable.set(hit._id, rest);
          else unsearchable.delete(hit._id);
        }
      }
      if (!this.polling && now() > this.stragglerDeadline) break;
      await sleep(Math.max(0, this.pollMs - (now() - tick)));
    }
  }
}

/** The index's refresh interval (set or default): no commit is searchable sooner than its next refresh. */
export async function refreshIntervalOf(es: Client, alias: string): Promise<string> {
  const settings = await es.indices.getSettings({
    index: alias,
    include_defaults: true,
    name: 'index.refresh_interval',
  });
  const entry = Object.values(settings)[0];
  return (
    entry?.settings?.index?.refresh_interval?.toString() ??
    entry?.defaults?.index?.refresh_interval?.toString() ??
    'unknown'
  );
}
