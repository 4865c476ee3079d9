import type { estypes } from '@elastic/elasticsearch';
import type { StreamSchemas } from '../codec/stream-schemas';
import type { RelayedMessage } from '../kafka/relayed-message';

/** A relayed event as a projection sees it: decoded payload plus the relay's headers. */
export type ProjectedEvent = RelayedMessage;

/** Every projected document carries the version of the last event applied to it. */
export interface VersionedDocument {
  version: number;
}

/**
 * A read model in Elasticsearch, built by folding events. `apply` must be pure: given
 * the current document (or none) and the next event, return the new document, or
 * `undefined` for events it ignores. Throwing refuses the event: it is parked in the DLQ.
 */
export interface Projection<D extends VersionedDocument> {
  name: string;
  /** The published streams it folds: their topics, and the schemas and upcasters to read them. */
  streams: readonly StreamSchemas[];
  /** The alias queries use; the runner writes through it to the current physical index. */
  alias: string;
  mappings: estypes.MappingTypeMapping;
  /** The document an event belongs to (usually its aggregate id). */
  documentId(event: ProjectedEvent): string;
  apply(current: D | undefined, event: ProjectedEvent): D | undefined;
  /**
   * Optional immutable fact documents per event (e.g. market analytics' daily facts), given
   * the document before and after the event. They go to `<alias>-facts`, keyed by event id
   * and created only once, so a redelivered event adds nothing.
   */
  facts?: {
    mappings: estypes.MappingTypeMapping;
    of(before: D | undefined, after: D, event: ProjectedEvent): Array<{ id: string; document: object }>;
  };
}

/** The topics a projection consumes. */
export function projectionTopics(projection: Pick<Projection<VersionedDocument>, 'streams'>): string[] {
  return projection.streams.map((stream) => stream.topic);
}
