import { propertyDocumentFold, propertyEventStream } from '../../property/published';
import type { Projection } from '../../shared/projection/projection';
import { marketFactsOf } from './market-facts';
import { marketFactMappings } from './market-fact-document';
import { changedMarketDocument, listedMarketDocument } from './market-property-changes';
import { marketPropertyMappings, type MarketPropertyDocument } from './market-property-document';

/** Folds one property event into its market document (pure; throws on an impossible sequence). */
export const applyToMarketDocument = propertyDocumentFold<MarketPropertyDocument>({
  listed: listedMarketDocument,
  changed: changedMarketDocument,
});

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
