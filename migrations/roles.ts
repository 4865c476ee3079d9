import { sql, type Kysely, type RawBuilder } from 'kysely';
import { localRolePassword, serviceRoleOf } from '../services/shared/db/service-role';

/** What one login role may do; everything else in the service schemas it may not. */
interface RoleRights {
  /** Schemas whose tables it reads and writes (append-only tables: read and insert only). */
  writes?: readonly string[];
  /** Schemas whose tables it only reads. */
  reads?: readonly string[];
  /** Single tables ("schema.table") it only reads. */
  readsTables?: readonly string[];
  /** Single tables it reads, inserts and updates. */
  writesTables?: readonly string[];
  /** Logical replication (the outbox relay's slot). */
  replication?: boolean;
}

/** Every schema a role may be granted anything on: the service schemas, the key store, the relay's. */
const managedSchemas = [
  'property',
  'transaction',
  'payment',
  'contract',
  'title',
  'people',
  'audit',
  'keystore',
  'relay',
];
/** Each outbox, which the relay reads and the console counts. */
const outboxes = ['property', 'transaction', 'payment', 'contract', 'title', 'people'].map(
  (s) => `${s}.outbox`,
);
/** Events and audit entries are never changed once written: read and append, nothing more. */
const APPEND_ONLY = ['events', 'entries'];
/** Kysely's migration bookkeeping: the owner's alone. */
const BOOKKEEPING = ['kysely_migration', 'kysely_migration_lock'];

/** The outbox relay's role (Debezium in Kafka Connect): DEEDSTREAM_PG_USER of the Connect worker. */
export const relayRole = serviceRoleOf('relay');

/**
 * Least privilege, one role per process kind. The key store's keys are written by People
 * (create, destroy) and read by the services that decrypt; no service reaches another's
 * schema; the relay replicates and reads the outboxes, and beats on its heartbeat table.
 */
export const databaseRoles: Record<string, RoleRights> = {
  [serviceRoleOf('property')]: { writes: ['property'], reads: ['keystore'] },
  [serviceRoleOf('people')]: { writes: ['people', 'keystore'] },
  [serviceRoleOf('search')]: { reads: ['keystore'] },
  [serviceRoleOf('transaction')]: { writes: ['transaction'] },
  [serviceRoleOf('payment')]: { writes: ['payment'] },
  [serviceRoleOf('contract')]: { writes: ['contract'] },
  [serviceRoleOf('title')]: { writes: ['title'] },
  [serviceRoleOf('audit')]: { writes: ['audit'] },
  // Its Pipeline page counts each outbox's rows and backlog.
  [serviceRoleOf('console')]: { readsTables: outboxes },
  [relayRole]: { replication: true, readsTables: outboxes, writesTables: ['relay.debezium_heartbeat'] },
};

const id = (name: string) => sql.id(name);
const table = (qualified: string) => {
  const [schema = '', name = ''] = qualified.split('.');
  return sql.id(schema, name);
};

/**
 * Creates the roles that do not exist yet (with the local stack's password: a deployment
 * creates them first, with its own) and sets each one's rights to exactly `databaseRoles`:
 * everything on the managed schemas is revoked, then granted again. Idempotent; runs after
 * every migration, so new tables are covered.
 */
export async function applyDatabaseRoles(db: Kysely<unknown>): Promise<void> {
  const existing = await sql<{ rolname: string }>`SELECT rolname FROM pg_roles`.execute(db);
  const known = new Set(existing.rows.map((row) => row.rolname));
  const schemas = await sql<{ nspname: string }>`SELECT nspname FROM pg_namespace`.execute(db);
  const present = new Set(
    schemas.rows.map((row) => row.nspname).filter((name) => managedSchemas.includes(name)),
  );
  for (const [role, rights] of Object.entries(databaseRoles)) {
    const statements: RawBuilder<unknown>[] = [];
    if (!known.has(role)) {
      statements.push(sql`CREATE ROLE ${id(role)} LOGIN PASSWORD ${sql.lit(localRolePassword(role))}`);
    }
    statements.push(
      rights.replication
        ? sql`ALTER ROLE ${id(role)} REPLICATION`
        : sql`ALTER ROLE ${id(role)} NOREPLICATION`,
    );
    for (const schema of present) {
      statements.push(sql`REVOKE ALL ON ALL TABLES IN SCHEMA ${id(schema)} FROM ${id(role)}`);
      statements.push(sql`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${id(schema)} FROM ${id(role)}`);
      statements.push(sql`REVOKE ALL ON SCHEMA ${id(schema)} FROM ${id(role)}`);
    }
    const usable = (schema: string) => present.has(schema);
    for (const schema of (rights.writes ?? []).filter(usable)) {
      statements.push(sql`GRANT USAGE ON SCHEMA ${id(schema)} TO ${id(role)}`);
      statements.push(
        sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${id(schema)} TO ${id(role)}`,
      );
      statements.push(sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${id(schema)} TO ${id(role)}`);
    }
    for (const schema of (rights.reads ?? []).filter(usable)) {
      statements.push(sql`GRANT USAGE ON SCHEMA ${id(schema)} TO ${id(role)}`);
      statements.push(sql`GRANT SELECT ON ALL TABLES IN SCHEMA ${id(schema)} TO ${id(role)}`);
    }
    for (const qualified of rights.readsTables ?? []) {
      const [schema = ''] = qualified.split('.');
      if (!usable(schema)) continue;
      statements.push(sql`GRANT USAGE ON SCHEMA ${id(schema)} TO ${id(role)}`);
      statements.push(sql`GRANT SELECT ON TABLE ${table(qualified)} TO ${id(role)}`);
    }
    for (const qualified of rights.writesTables ?? []) {
      const [schema = ''] = qualified.split('.');
      if (!usable(schema)) continue;
      statements.push(sql`GRANT USAGE ON SCHEMA ${id(schema)} TO ${id(role)}`);
      statements.push(sql`GRANT SELECT, INSERT, UPDATE ON TABLE ${table(qualified)} TO ${id(role)}`);
    }
    await db.transaction().execute(async (trx) => {
      for (const statement of statements) await statement.execute(trx);
      // After the grants: what no service may do to tables it otherwise writes.
      for (const schema of (rights.writes ?? []).filter(usable)) {
        for (const name of await tablesIn(trx, schema, [...APPEND_ONLY, ...BOOKKEEPING])) {
          const revoked = APPEND_ONLY.includes(name) ? sql`UPDATE, DELETE, TRUNCATE` : sql`ALL`;
          await sql`REVOKE ${revoked} ON TABLE ${id(schema)}.${id(name)} FROM ${id(role)}`.execute(trx);
        }
      }
    });
  }
}

async function tablesIn(db: Kysely<unknown>, schema: string, names: readonly string[]): Promise<string[]> {
  const found = await sql<{ tablename: string }>`
    SELECT tablename FROM pg_tables WHERE schemaname = ${schema} AND tablename = ANY(${[...names]})
  `.execute(db);
  return found.rows.map((row) => row.tablename);
}

/**
 * Lets the relay read the outbox of a schema outside `databaseRoles` and beat on its
 * heartbeat table: a service in a database of its own, or a scratch schema of a test that
 * runs a connector of its own from the outbox-relay template.
 */
export async function grantRelayAccess(db: Kysely<unknown>, schema: string): Promise<void> {
  await sql`GRANT USAGE ON SCHEMA ${id(schema)} TO ${id(relayRole)}`.execute(db);
  for (const name of await tablesIn(db, schema, ['outbox'])) {
    await sql`GRANT SELECT ON TABLE ${id(schema)}.${id(name)} TO ${id(relayRole)}`.execute(db);
  }
  for (const name of await tablesIn(db, schema, ['debezium_heartbeat'])) {
    await sql`GRANT SELECT, INSERT, UPDATE ON TABLE ${id(schema)}.${id(name)} TO ${id(relayRole)}`.execute(
      db,
    );
  }
}
