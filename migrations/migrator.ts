import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { serviceMigrations, type ServiceMigrations } from './registry';
import { applyDatabaseRoles } from './roles';
import { messageOf } from '../services/shared/errors/message-of';

export type MigrationDirection = 'latest' | 'down';

function migratorFor(db: Kysely<unknown>, service: ServiceMigrations): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => service.migrations },
    // Bookkeeping per service schema, so services migrate independently.
    migrationTableSchema: service.schema,
  });
}

export class MigrationError extends Error {
  constructor(service: string, migration: string | undefined, cause: unknown) {
    super(`${service}: migration ${migration ?? '(unknown)'} failed: ${messageOf(cause)}`);
    this.name = 'MigrationError';
  }
}

export function knownService(name: string): ServiceMigrations {
  const service = serviceMigrations[name];
  if (!service) {
    throw new Error(`unknown service "${name}": use one of ${Object.keys(serviceMigrations).join(', ')}`);
  }
  return service;
}

/** Migrates one service; throws MigrationError naming the failed migration. */
export async function migrate(
  db: Kysely<unknown>,
  name: string,
  direction: MigrationDirection,
): Promise<MigrationResultSet> {
  const service = knownService(name);
  // The bookkeeping tables live in the service schema, which must exist first.
  await db.schema.createSchema(service.schema).ifNotExists().execute();
  const migrator = migratorFor(db, service);
  const result = direction === 'latest' ? await migrator.migrateToLatest() : await migrator.migrateDown();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new MigrationError(name, failed?.migrationName, result.error);
  }
  return result;
}

export async function migrationStatus(db: Kysely<unknown>, name: string) {
  const service = knownService(name);
  await db.schema.createSchema(service.schema).ifNotExists().execute();
  return migratorFor(db, service).getMigrations();
}

/**
 * Migrates every service to its latest version, then sets each service role's rights on the
 * tables as they now are (the main job and the test bootstrap use this).
 */
export async function migrateAllToLatest(db: Kysely<unknown>): Promise<void> {
  for (const name of Object.keys(serviceMigrations)) await migrate(db, name, 'latest');
  await applyDatabaseRoles(db);
}
