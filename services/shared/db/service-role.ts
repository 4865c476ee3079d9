import { ConfigError } from '../config/load-config';

/**
 * Every service signs in to Postgres as a role of its own, which may touch only its own
 * schema (and, for some, the key store): a bug or an injection in one service cannot read
 * or change another's data, rewrite an append-only event, or alter a table. DATABASE_URL's
 * own user owns the schemas and is used by migrations, provisioning and the CLIs only.
 */
export function serviceRoleOf(service: string): string {
  return `deedstream_${service.replace(/[^a-z0-9]/g, '_')}`;
}

/**
 * The local stack's password of a service role: the role's name, like the stack's own
 * `deedstream`/`deedstream`. Provisioning gives a role this password only when it creates
 * the role; a deployment creates its roles with passwords of its own beforehand.
 */
export const localRolePassword = (role: string): string => role;

export interface ServiceConnection {
  /** DATABASE_URL: the cluster and database, and the owner the service does not use. */
  DATABASE_URL: string;
  /** The service role's password (unset: the local stack's). */
  DATABASE_SERVICE_PASSWORD?: string | undefined;
  DEEDSTREAM_DEPLOYMENT: 'development' | 'production';
}

/** DATABASE_URL's server and database, signed in as the service's own role. */
export function serviceConnectionString(service: string, config: ServiceConnection): string {
  const role = serviceRoleOf(service);
  if (config.DATABASE_SERVICE_PASSWORD === undefined && config.DEEDSTREAM_DEPLOYMENT === 'production') {
    throw new ConfigError(
      `DATABASE_SERVICE_PASSWORD is not set: DEEDSTREAM_DEPLOYMENT=production refuses the local stack's password of role ${role}`,
    );
  }
  const url = new URL(config.DATABASE_URL);
  url.username = role;
  url.password = encodeURIComponent(config.DATABASE_SERVICE_PASSWORD ?? localRolePassword(role));
  return url.toString();
}
