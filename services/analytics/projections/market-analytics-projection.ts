import { propertyEventOf, propertyEventStream } from '../../property/published';
import type { ProjectedEvent, Projection } from '../../shared/projection/projection';
import { marketFactsOf } from './market-facts';
import { marketFactMappings } from './market-fact-document';
import { changedMarketDocument, listedMarketDocument } from './market-property-changes';
import { marketPropertyMappings, type MarketPropertyDocument } from './market-property-document';

export const marketAnalyticsProjection: Projection<MarketPropertyDocument> = {
  name: 'market-analytics',
  streams: [propertyEventStream],
  alias: 'market-properties',
  mappings: marketPropertyMappings,
  documentId: (event) => event.aggregateId,
  apply: applyToMarketDocument,
  facts: {
    mappings: marketFactMappings,
    of: (before, after, event) =>
      marketFactsOf(before, after, event).map((document) => ({ id: event.eventId, document })),
  },
};

/** Folds one property event into its market document (pure; throws on an impossible sequence). */
export function applyToMarketDocument(
  current: MarketPropertyDocument | undefined,
  event: ProjectedEvent,
): MarketPropertyDocument | undefined {
  const typed = propertyEventOf(event);
  if (!typed) throw new Error(`unknown event type ${event.eventType}`);
  if (typed.type === 'PropertyListed') {
    if (event.version !== 1) throw new Error(`PropertyListed at version ${event.version}, expected 1`);
    return listedMarketDocument(event.aggregateId, typed.data, event.occurredAt);
  }
  if (!current)
    throw new Error(`${typed.type} v${event.version} for a property the index has never seen listed`);
  if (event.version !== current.version + 1) {
    throw new Error(`${typed.type} v${event.version} follows v${current.version}: an event is missing`);
  }
  const next: MarketPropertyDocument = { ...current, version: event.version, updatedAt: event.occurredAt };
  return changedMarketDocument(next, typed, event.occurredAt);
}
