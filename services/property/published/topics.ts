/** The stream type of property aggregates in the event store, and their outbox aggregatetype. */
export const propertyStreamType = 'property';

/** Debezium routes outbox rows by aggregatetype to `<aggregatetype>.events`: the property events. */
export const propertyTopic = 'property.events';

/** The property service's Postgres schema (its event store, outbox and inbox). */
export const propertySchema = 'property';
