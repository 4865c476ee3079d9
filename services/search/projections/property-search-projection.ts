import { propertyDocumentFold, propertyEventStream } from '../../property/published';
import type { Projection } from '../../shared/projection/projection';
import { changedSearchDocument, listedSearchDocument } from './property-search-changes';
import { propertySearchMappings, type PropertySearchDocument } from './property-search-document';

/** Folds one property event into its search document (pure; throws on an impossible sequence). */
export const applyToSearchDocument = propertyDocumentFold<PropertySearchDocument>({
  listed: listedSearchDocument,
  changed: changedSearchDocument,
});

export const propertySearchProjection: Projection<PropertySearchDocument> = {
  name: 'property-search',
  streams: [propertyEventStream],
  alias: 'properties',
  mappings: propertySearchMappings,
  documentId: (event) => event.aggregateId,
  apply: applyToSearchDocument,
};
