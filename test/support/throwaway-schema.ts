import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { createDatabase } from '../../services/shared/db/database';
import { createMessagingSchema, dropServiceSchema } from '../../services/shared/messaging/inbox';

export interface ThrowawaySchema {
  name: string;
  /** A kysely instance over the stack's Postgres, scoped to the schema (its own pool). */
  connect<DB>(): Kysely<DB>;
  /** Closes every pool opened by `connect` and drops the schema with everything in it. */
  drop(): Promise<void>;
}

/**
 * A fresh Postgres schema with the messaging tables (outbox, relay heartbeat, inbox) in
 * the stack's database, so a test file neither sees nor disturbs the services' schemas.
 */
export async function createThrowawayMessagingSchema(prefix: string): Promise<ThrowawaySchema> {
  const name = `it_${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const connectionString = infrastructureConfig().DATABASE_URL;
  const admin = createDatabase<unknown>({ connectionString, maxConnections: 1, applicationName: name });
  await createMessagingSchema(admin, name);
  // What closes each pool (kysely's database types are invariant, so keep the closers).
  const closers: Array<() => Promise<void>> = [];
  return {
    name,
    connect<DB>() {
      const db = createDatabase<DB>({ connectionString, maxConnections: 10, applicationName: name });
      closers.push(() => db.destroy());
      return db.withSchema(name);
    },
    async drop() {
      await Promise.all(closers.map((close) => close()));
      await dropServiceSchema(admin, name);
      await admin.destroy();
    },
  };
}
