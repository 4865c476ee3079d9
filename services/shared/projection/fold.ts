import type { ProjectedEvent, Projection, VersionedDocument } from './projection';

export type FoldOutcome = 'applied' | 'duplicate' | 'ignored';

/** An immutable fact document, with the projected document it came from. */
export interface Fact {
  id: string;
  document: object;
  docId: string;
}

/**
 * Applies one event to the working set of documents. An event whose version the
 * document already has is a duplicate and changes nothing; `projection.apply` may throw
 * to refuse an event.
 */
export function foldEvent<D extends VersionedDocument>(
  projection: Projection<D>,
  documents: Map<string, D>,
  event: ProjectedEvent,
): { outcome: FoldOutcome; docId: string; facts: Fact[] } {
  const docId = projection.documentId(event);
  const current = documents.get(docId);
  if (current && current.version >= event.version) return { outcome: 'duplicate', docId, facts: [] };
  const next = projection.apply(current, event);
  if (!next) return { outcome: 'ignored', docId, facts: [] };
  documents.set(docId, next);
  const facts = (projection.facts?.of(current, next, event) ?? []).map((f) => ({ ...f, docId }));
  return { outcome: 'applied', docId, facts };
}
