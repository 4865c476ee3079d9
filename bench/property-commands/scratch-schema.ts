import { randomUUID } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { propertyMigrationsFor } from '../../migrations/property';
import { createDatabase } from '../../services/shared/db/database';

/**
 * The raw path's own schema, made with the property service's migrations: its rows never
 * reach the services' relay (which reads only their outboxes) nor any projector, and it is
 * dropped at the end of the run.
 */
export async function scratchSchema(
  connectionString: string,
): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `bench_raw_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const db = createDatabase<unknown>({ connectionString, maxConnections: 1, applicationName: name });
  await db.schema.createSchema(name).execute();
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => propertyMigrationsFor(name) },
    migrationTableSchema: name,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  return {
    name,
    async drop() {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(name)} CASCADE`.execute(db);
      await db.destroy();
    },
  };
}
