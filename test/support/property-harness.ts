import { migrateAllToLatest } from '../../migrations/migrator';
import type { PropertyConfig } from '../../services/property/property-config';
import { propertyService, type PropertyInternals } from '../../services/property/property-service';
import type { TokenVerifier } from '../../services/shared/auth/token-verification';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { createDatabase } from '../../services/shared/db/database';
import { startService, type RunningService } from '../../services/shared/service/start-service';
import { localUser, type Identity } from './identities';
import { expectServedDocumented } from './openapi-contract';

/** A JSON request against a service; returns status, headers and parsed body. */
export type Call = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiResponse>;

export interface PropertyHarness {
  /** What the running service exposes: its database, codec, repository, saga participant. */
  service: PropertyInternals;
  running: RunningService<PropertyConfig, PropertyInternals>;
  baseUrl: string;
  /** A request as `seller` (who owns what it lists). */
  call: Call;
  /** A request as someone else. */
  as(identity: Identity): Call;
  /** A request without a token. */
  anonymous: Call;
  /** The realm's seller1, buyer1 and buyer2. */
  seller: Identity;
  buyer: Identity;
  otherBuyer: Identity;
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
  options: { workers?: boolean; env?: Record<string, string>; verifier?: TokenVerifier } = {},
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
    ...(options.verifier ? { verifier: options.verifier } : {}),
  });
  await running.internals.codec.registerAll();
  const seller = await localUser('seller1');
  const buyer = await localUser('buyer1');
  const otherBuyer = await localUser('buyer2');
  return {
    service: running.internals,
    running,
    baseUrl: running.url,
    call: jsonClient(running.url, seller),
    as: (identity) => jsonClient(running.url, identity),
    anonymous: jsonClient(running.url),
    seller: seller,
    buyer: buyer,
    otherBuyer: otherBuyer,
    close: () => running.stop(),
  };
}

/**
 * JSON requests against a running service as `identity` (its bearer token, unless the
 * request sets Authorization itself), or anonymously; returns status, headers and body.
 *
 * Every answer is checked against the OpenAPI document the service serves (a status, a
 * field or a shape the document does not have fails the test that made the request), so
 * each test written with this client is a contract test as well. `contract: false` skips
 * that, for a test that sends what no client should (and says why).
 */
export function jsonClient(baseUrl: string, identity?: Identity, options: { contract?: boolean } = {}): Call {
  return async (method, path, body, headers = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(identity ? await identity.headers() : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as ApiResponse['body']) : undefined;
    if (options.contract ?? true) {
      await expectServedDocumented(baseUrl, {
        method,
        url: path,
        status: response.status,
        headers: response.headers,
        body: parsed,
      });
    }
    return { status: response.status, headers: response.headers, body: parsed ?? {} };
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
