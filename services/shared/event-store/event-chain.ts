import { sql, type Kysely } from 'kysely';

/**
 * Tamper evidence for an event store: every event carries `chain_hash`, the SHA-256 of the
 * previous event's hash in its stream and of its own content (ids, stream, version, type,
 * schema version, payload, metadata, time). A BEFORE INSERT trigger computes it, so every
 * writer gets it and none can forget; an event changed afterwards (by someone able to lift
 * the append-only trigger) no longer matches its hash, and one whose hash was rewritten too
 * breaks the link of the event after it. `verifyEventChain` recomputes every link.
 *
 * The content is hashed as Postgres prints it (jsonb is printed canonically: keys sorted,
 * one spacing), the time in UTC, so the bytes hashed do not depend on session settings.
 */
const linkFunction = (schema: string) => sql.id(schema, 'event_chain_link');
const chainFunction = (schema: string) => sql.id(schema, 'chain_event');

export async function createEventChain(db: Kysely<unknown>, schema: string): Promise<void> {
  const events = sql.id(schema, 'events');
  await sql`ALTER TABLE ${events} ADD COLUMN chain_hash bytea`.execute(db);
  await sql`
    CREATE FUNCTION ${linkFunction(schema)}(
      previous bytea, event_id uuid, stream_id text, stream_type text, version integer,
      event_type text, schema_version integer, payload jsonb, metadata jsonb, occurred_at timestamptz
    ) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT sha256(coalesce(previous, ''::bytea) || convert_to(jsonb_build_array(
        event_id, stream_id, stream_type, version, event_type, schema_version, payload, metadata,
        to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
      )::text, 'UTF8'))
    $$`.execute(db);
  // Identifiers go into the function bodies as quoted text (sql.id), never as parameters.
  // The previous link is the stream's event at version - 1, written earlier or earlier in the
  // same statement (a row-level BEFORE trigger sees the rows its statement already inserted).
  await sql`
    CREATE FUNCTION ${chainFunction(schema)}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.chain_hash := ${linkFunction(schema)}(
        (SELECT e.chain_hash FROM ${events} e
          WHERE e.stream_id = NEW.stream_id AND e.version = NEW.version - 1),
        NEW.event_id, NEW.stream_id, NEW.stream_type, NEW.version, NEW.event_type,
        NEW.schema_version, NEW.payload, NEW.metadata, NEW.occurred_at);
      RETURN NEW;
    END $$`.execute(db);
  // Events written before the chain existed get their links now, stream by stream in order.
  await sql`ALTER TABLE ${events} DISABLE TRIGGER events_append_only`.execute(db);
  await sql`
    DO $$
    DECLARE r record; previous bytea; current_stream text;
    BEGIN
      FOR r IN SELECT * FROM ${events} ORDER BY stream_id, version LOOP
        IF current_stream IS DISTINCT FROM r.stream_id THEN previous := NULL; current_stream := r.stream_id; END IF;
        previous := ${linkFunction(schema)}(previous, r.event_id, r.stream_id,
          r.stream_type, r.version, r.event_type, r.schema_version, r.payload, r.metadata, r.occurred_at);
        UPDATE ${events} SET chain_hash = previous WHERE position = r.position;
      END LOOP;
    END $$`.execute(db);
  await sql`ALTER TABLE ${events} ENABLE TRIGGER events_append_only`.execute(db);
  await sql`ALTER TABLE ${events} ALTER COLUMN chain_hash SET NOT NULL`.execute(db);
  await sql`
    CREATE TRIGGER events_chain BEFORE INSERT ON ${events}
    FOR EACH ROW EXECUTE FUNCTION ${chainFunction(schema)}()`.execute(db);
}

export async function dropEventChain(db: Kysely<unknown>, schema: string): Promise<void> {
  const events = sql.id(schema, 'events');
  await sql`DROP TRIGGER IF EXISTS events_chain ON ${events}`.execute(db);
  await sql`DROP FUNCTION IF EXISTS ${chainFunction(schema)}()`.execute(db);
  await sql`ALTER TABLE ${events} DROP COLUMN IF EXISTS chain_hash`.execute(db);
  await sql`DROP FUNCTION IF EXISTS ${linkFunction(schema)}(bytea, uuid, text, text, integer, text, integer, jsonb, jsonb, timestamptz)`.execute(
    db,
  );
}

/** Why an event fails verification. */
export type ChainBreak =
  | 'content-changed' // its content no longer hashes to its stored hash (with the stored link before it)
  | 'missing-version'; // the version before it is not in the store

export interface BrokenLink {
  streamId: string;
  version: number;
  eventId: string;
  position: bigint;
  reason: ChainBreak;
}

export interface ChainVerification {
  events: number;
  streams: number;
  /** The first broken link of each stream that has one, in stream order. */
  broken: BrokenLink[];
}

/**
 * Recomputes every link of a schema's event store from the stored events and the stored
 * hash before each, and reports the first event of each stream whose link does not hold.
 */
export async function verifyEventChain(db: Kysely<unknown>, schema: string): Promise<ChainVerification> {
  const events = sql.id(schema, 'events');
  const totals = await sql<{ events: string; streams: string }>`
    SELECT count(*) AS events, count(DISTINCT stream_id) AS streams FROM ${events}`.execute(db);
  const rows = await sql<{
    stream_id: string;
    version: number;
    event_id: string;
    position: string;
    reason: ChainBreak;
  }>`
    WITH linked AS (
      SELECT e.*,
        lag(e.chain_hash) OVER stream AS previous_hash,
        lag(e.version) OVER stream AS previous_version
      FROM ${events} e
      WINDOW stream AS (PARTITION BY e.stream_id ORDER BY e.version)
    ), checked AS (
      SELECT stream_id, version, event_id::text, position::text,
        CASE
          WHEN version > 1 AND previous_version IS DISTINCT FROM version - 1 THEN 'missing-version'
          WHEN chain_hash IS DISTINCT FROM ${linkFunction(schema)}(previous_hash, event_id, stream_id,
            stream_type, version, event_type, schema_version, payload, metadata, occurred_at) THEN 'content-changed'
        END AS reason
      FROM linked
    )
    SELECT DISTINCT ON (stream_id) stream_id, version, event_id, position, reason
    FROM checked WHERE reason IS NOT NULL
    ORDER BY stream_id, version`.execute(db);
  const total = totals.rows[0];
  return {
    events: Number(total?.events ?? 0),
    streams: Number(total?.streams ?? 0),
    broken: rows.rows.map((row) => ({
      streamId: row.stream_id,
      version: row.version,
      eventId: row.event_id,
      position: BigInt(row.position),
      reason: row.reason,
    })),
  };
}
