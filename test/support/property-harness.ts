import { migrateAllToLatest } from '../../migrations/migrator';
import type { PropertyConfig } from '../../services/property/property-config';
import { propertyService, type PropertyInternals } from '../../services/property/property-service';
import { infrastructureConfig } from '../../services/shared/config/infrastructure';
import { createDatabase } from '../../services/shared/db/database';
import { startService, type RunningService } from '../../services/shared/service/start-service';

export interface PropertyHarness {
  /** What the running service exposes: its database, codec, repository, saga participant. */
  service: PropertyInternals;
  running: RunningService<PropertyConfig, PropertyInternals>;
  baseUrl: string;
  /** JSON request against the running service; returns status, headers and parsed body. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // Tests inspect arbitrary JSON; each assertion states the shape it expects.
  body: Record<string, unknown> & { [key: string]: unknown };
}

/**
 * Migrates, registers the schemas and starts a property service on a free port: its API
 * only, unless `workers` (the saga participant, housekeeping) are asked for.
 */
export async function startPropertyService(
  options: { workers?: boolean; env?: Record<string, string> } = {},
): Promise<PropertyHarness> {
  const admin = createDatabase<unknown>({
    connectionString: infrastructureConfig().DATABASE_URL,
    maxConnections: 1,
  });
  await migrateAllToLatest(admin);
  await admin.destroy();

  const running = await startService(propertyService, {
    env: { ...process.env, LOG_LEVEL: 'silent', ...options.env },
    port: 0,
    workers: options.workers ?? false,
  });
  await running.internals.codec.registerAll();
  return {
    service: running.internals,
    running,
    baseUrl: running.url,
    call: jsonClient(running.url),
    close: () => running.stop(),
  };
}

/** JSON requests against a running service; returns status, headers and parsed body. */
export function jsonClient(baseUrl: string): PropertyHarness['call'] {
  return async (method, path, body, headers = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as ApiResponse['body']) : {},
    };
  };
}

export const listing = (overrides: Record<string, unknown> = {}) => ({
  address: {
    street: 'Keizersgracht 123',
    city: 'Amsterdam',
    postalCode: '1015 CJ',
    region: 'Noord-Holland',
    country: 'NL',
    lat: 52.3731,
    lon: 4.8837,
  },
  price: { amount: 650000, currency: 'EUR' },
  bedrooms: 3,
  bathrooms: 2,
  areaSqm: 120,
  type: 'apartment',
  ...overrides,
});
