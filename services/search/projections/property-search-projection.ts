import { propertyEventOf, propertyEventStream } from '../../property/published';
import type { ProjectedEvent, Projection } from '../../shared/projection/projection';
import { changedSearchDocument, listedSearchDocument } from './property-search-changes';
import { propertySearchMappings, type PropertySearchDocument } from './property-search-document';

export const propertySearchProjection: Projection<PropertySearchDocument> = {
  name: 'property-search',
  streams: [propertyEventStream],
  alias: 'properties',
  mappings: propertySearchMappings,
  documentId: (event) => event.aggregateId,
  apply: applyToSearchDocument,
};

/** Folds one property event into its search document (pure; throws on an impossible sequence). */
export function applyToSearchDocument(
  current: PropertySearchDocument | undefined,
  event: ProjectedEvent,
): PropertySearchDocument | undefined {
  const typed = propertyEventOf(event);
  if (!typed) throw new Error(`unknown event type ${event.eventType}`);
  if (typed.type === 'PropertyListed') {
    if (event.version !== 1) throw new Error(`PropertyListed at version ${event.version}, expected 1`);
    return listedSearchDocument(event.aggregateId, typed.data, event.occurredAt);
  }
  if (!current)
    throw new Error(`${typed.type} v${event.version} for a property the index has never seen listed`);
  if (event.version !== current.version + 1) {
    throw new Error(`${typed.type} v${event.version} follows v${current.version}: an event is missing`);
  }
  const next: PropertySearchDocument = { ...current, version: event.version, updatedAt: event.occurredAt };
  return changedSearchDocument(next, typed);
}
