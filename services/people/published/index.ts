/**
 * The People service's published contract: its topic, event types and schemas. Other
 * services (the property service's agent cards) depend on this and nothing else of it.
 */
export * from './topics';
export * from './people-events';
export * from './schemas/people-schemas';
export * from './people-stream';
