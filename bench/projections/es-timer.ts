import type { Client } from '@elastic/elasticsearch';
import { parkingIndex } from '../../services/shared/projection/parked-keys';
import { now } from '../support/measure';

/** Round trips to Elasticsearch by kind (`_mget` of the parking index, `_mget`, `_bulk`, …) while recording. */
export class EsTimer {
  readonly totals: Record<string, { requests: number; ms: number }> = {};
  private readonly started = new Map<unknown, number>();
  private recording = false;

  constructor(es: Client) {
    es.diagnostic.on('request', (_error, event) => {
      if (this.recording && event) this.started.set(event.meta.request.id, now());
    });
    es.diagnostic.on('response', (_error, event) => {
      const began = event ? this.started.get(event.meta.request.id) : undefined;
      if (!event || began === undefined) return;
      this.started.delete(event.meta.request.id);
      const { method, path } = event.meta.request.params;
      const last = path.split('/').pop() ?? '';
      const kind = `${method} ${path.includes(parkingIndex) ? 'parking ' : ''}${last.startsWith('_') ? last : '(doc/index)'}`;
      const total = (this.totals[kind] ??= { requests: 0, ms: 0 });
      total.requests++;
      total.ms += now() - began;
    });
  }

  record<T>(work: () => Promise<T>): Promise<T> {
    this.recording = true;
    return work().finally(() => (this.recording = false));
  }
}
