/** The SQL the raw path sends: what the event store sends for the same commands. */
export interface RawStatements {
  selectStream: string;
  append: string;
}

/**
 * The statements kysely generates for the event store (compiled SQL of event-store.ts /
 * outbox-writer.ts), for `schema`: sent as named (prepared) statements as the service sends
 * them (services/shared/db/prepared-statements.ts). A load reads the stream's snapshot and the
 * events from its version on in one statement (PostgresEventStore.readFromSnapshot); both
 * parameters are the stream id. The append is the events insert as a data-modifying CTE of
 * the outbox insert.
 */
export function rawStatements(schema: string): RawStatements {
  const table = (name: string) => `"${schema}"."${name}"`;
  const eventColumns = [
    'position',
    'event_id',
    'stream_id',
    'stream_type',
    'version',
    'event_type',
    'schema_version',
    'payload',
    'metadata',
    'occurred_at',
  ]
    .map((column) => `${table('events')}."${column}"`)
    .join(', ');
  return {
    selectStream: `select ${eventColumns}, ${table('snapshots')}."format" as "snapshot_format", ${table('snapshots')}."state" as "snapshot_state", ${table('snapshots')}."digest" as "snapshot_digest" from ${table('events')} left join ${table('snapshots')} on ${table('snapshots')}."stream_id" = ${table('events')}."stream_id" and ${table('snapshots')}."version" = ${table('events')}."version" where ${table('events')}."stream_id" = $1 and ${table('events')}."version" >= coalesce((select "latest"."version" from ${table('snapshots')} as "latest" where "latest"."stream_id" = $2), 1) order by ${table('events')}."version"`,
    append: `with "appended" as (insert into ${table('events')} ("event_id", "stream_id", "stream_type", "version", "event_type", "schema_version", "payload", "metadata", "occurred_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning "position") insert into ${table('outbox')} ("id", "aggregatetype", "aggregateid", "type", "payload", "event_id", "aggregate_version", "correlation_id", "causation_id", "traceparent", "actor", "occurred_at") values ($1, $3, $2, $5, $10, $1, $4, $11, null, null, $13, $12)`,
  };
}
