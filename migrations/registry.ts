import type { Migration } from 'kysely';
import { propertyMigrations } from './property';

/** Each service owns one Postgres schema; its migrations and their bookkeeping live there. */
export interface ServiceMigrations {
  schema: string;
  migrations: Record<string, Migration>;
}

export const serviceMigrations: Record<string, ServiceMigrations> = {
  property: { schema: 'property', migrations: propertyMigrations },
};
