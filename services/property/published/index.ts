/**
 * The property service's published contract: what other services, projections and
 * tools may depend on — its topics, event and command types and their schemas, the
 * status and type vocabularies, and the upcasters that bring old events to today's
 * shape. Nothing else of the service is to be imported from outside it (ESLint enforces
 * this), so its domain, API and storage can change freely.
 */
export * from './topics';
export * from './property-events';
export * from './property-status';
export * from './property-type';
export * from './commands/property-messages';
export * from './schemas/property-schemas';
export * from './property-stream';
export * from './listing-agent-view';
export * from './property-document-fold';
