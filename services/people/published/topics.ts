/** The stream type of person aggregates in the event store, and their outbox aggregatetype. */
export const peopleStreamType = 'people';

/** Debezium routes outbox rows by aggregatetype to `<aggregatetype>.events`: the people events. */
export const peopleTopic = 'people.events';

/** The People service's Postgres schema (its event store and outbox). */
export const peopleSchema = 'people';
