import { propertyDocumentFold, propertyEventStream } from '../../property/published';
import type { Projection } from '../../shared/projection/projection';
import { changedValuationDocument, listedValuationDocument } from './valuation-property-changes';
import { valuationPropertyMappings, type ValuationPropertyDocument } from './valuation-property-document';

/** Folds one property event into its valuation document (pure; throws on an impossible sequence). */
export const applyToValuationDocument = propertyDocumentFold<ValuationPropertyDocument>({
  listed: listedValuationDocument,
  changed: changedValuationDocument,
});

export const valuationProjection: Projection<ValuationPropertyDocument> = {
  name: 'valuation',
  streams: [propertyEventStream],
  alias: 'valuation-properties',
  mappings: valuationPropertyMappings,
  documentId: (event) => event.aggregateId,
  apply: applyToValuationDocument,
};
