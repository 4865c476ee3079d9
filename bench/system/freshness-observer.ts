import type { Client } from '@elastic/elasticsearch';
import { distribution, now, sleep, type Distribution } from '../support/measure';

/** A read model's index (through its alias) whose documents carry the aggregate's version. */
export interface ObservedIndex {
  name: string;
  alias: string;
}

interface Pending {
  id: string;
  version: number;
  committedAt: number;
  /** Per index, when a search first found the document at this version or later. */
  seenAt: Map<string, number>;
}

export interface Freshness {
  /** Commits sampled and polled for. */
  sampled: number;
  /** Per index: commit → found by a search (refreshed segments only), and how many never were. */
  byIndex: Record<string, { commitTo: Distribution; missing: number }>;
}

/**
 * Measures commit → searchable: for each sampled commit (its answer arrived: it is
 * committed), one `_msearch` every `pollMs` asks each index for the pending ids; a commit
 * counts as searchable in an index when a search returns its document at its version or a
 * later one. Searches see only refreshed segments, as users do (a realtime get would not).
 */
export class FreshnessObserver {
  private readonly pending = new Set<Pending>();
  private readonly done: Pending[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly es: Client,
    private readonly indices: readonly ObservedIndex[],
    readonly pollMs = 50,
  ) {}

  track(id: string, version: number, committedAt: number): void {
    this.pending.add({ id, version, committedAt, seenAt: new Map() });
  }

  start(): void {
    this.running = true;
    this.loop = this.poll();
  }

  /** Stops once every tracked commit was seen everywhere or `graceMs` passed; returns the figures. */
  async finish(graceMs: number): Promise<Freshness> {
    const deadline = now() + graceMs;
    while (this.pending.size > 0 && now() < deadline) await sleep(this.pollMs);
    this.running = false;
    await this.loop;
    const all = [...this.done, ...this.pending];
    const byIndex: Freshness['byIndex'] = {};
    for (const { name } of this.indices) {
      const seen = all.flatMap((p) => {
        const at = p.seenAt.get(name);
        return at === undefined ? [] : [at - p.committedAt];
      });
      byIndex[name] = { commitTo: distribution(seen), missing: all.length - seen.length };
    }
    this.pending.clear();
    this.done.length = 0;
    return { sampled: all.length, byIndex };
  }

  private async poll(): Promise<void> {
    while (this.running) {
      const tick = now();
      if (this.pending.size > 0) await this.check();
      await sleep(Math.max(0, this.pollMs - (now() - tick)));
    }
  }

  private async check(): Promise<void> {
    const pending = [...this.pending];
    const ids = [...new Set(pending.map((p) => p.id))];
    const { responses } = await this.es.msearch<{ version: number }>({
      searches: this.indices.flatMap(({ alias }) => [
        { index: alias },
        { size: ids.length, query: { ids: { values: ids } }, _source: ['version'] },
      ]),
    });
    const seen = now();
    this.indices.forEach(({ name }, i) => {
      const response = responses[i];
      if (!response || 'error' in response) return;
      const versions = new Map(response.hits.hits.map((hit) => [hit._id, hit._source?.version ?? 0]));
      for (const p of pending) {
        if (!p.seenAt.has(name) && (versions.get(p.id) ?? 0) >= p.version) p.seenAt.set(name, seen);
      }
    });
    for (const p of pending) {
      if (p.seenAt.size === this.indices.length) {
        this.pending.delete(p);
        this.done.push(p);
      }
    }
  }
}
