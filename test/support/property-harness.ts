import type { AddressInfo } from 'node:net';
import { migrateAllToLatest } from '../../migrations/migrator';
import { infrastructureConfig } from '../../services/shared/config/infrastructure';
import { createDatabase } from '../../services/shared/db/database';
import { propertyConfig } from '../../services/property/property-config';
import { createPropertyService, type PropertyService } from '../../services/property/property-service';

export interface PropertyHarness {
  service: PropertyService;
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

/** Migrates, registers the schemas and starts a property service on a free port. */
export async function startPropertyService(): Promise<PropertyHarness> {
  const admin = createDatabase<unknown>({
    connectionString: infrastructureConfig().DATABASE_URL,
    maxConnections: 1,
  });
  await migrateAllToLatest(admin);
  await admin.destroy();

  const service = await createPropertyService(propertyConfig({ ...process.env, LOG_LEVEL: 'silent' }));
  await service.codec.registerAll();
  const server = await service.listen(0);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    service,
    baseUrl,
    call: jsonClient(baseUrl),
    close: () => service.close(),
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
