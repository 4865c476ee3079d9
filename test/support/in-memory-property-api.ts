import { propertyApi } from '../../services/property/api/property-openapi';
import { propertyRoutes } from '../../services/property/api/property-routes';
import type { PropertyApiDeps } from '../../services/property/api/property-api-deps';
import { blankProperty, type Property } from '../../services/property/domain/property';
import type { PropertyEvent } from '../../services/property/published/property-events';
import { propertyUpcasters } from '../../services/property/published/property-stream';
import { propertyStreamType } from '../../services/property/published/topics';
import { EventSourcedRepository } from '../../services/shared/event-sourcing/repository';
import {
  InMemoryEventStore,
  type InMemoryTransaction,
} from '../../services/shared/event-store/in-memory-event-store';
import { CommandRunner } from '../../services/shared/http/command-runner';
import { InMemoryIdempotency } from '../../services/shared/http/in-memory-idempotency';
import { ServiceMetrics } from '../../services/shared/observability/metrics';
import type { Identity } from './identities';
import { serveInMemory } from './in-memory-api';
import type { Call } from './property-harness';

/** The property API over an in-memory event store, signed-in callers from a local issuer. */
export interface InMemoryPropertyApi {
  store: InMemoryEventStore<PropertyEvent>;
  repository: EventSourcedRepository<PropertyEvent, Property, InMemoryTransaction>;
  baseUrl: string;
  /** A request as `seller` (who owns what it lists). */
  call: Call;
  as(identity: Identity): Call;
  anonymous: Call;
  /** Someone else, with these realm roles (an operator, say). */
  user(username: string, roles: readonly string[]): Promise<Identity>;
  seller: Identity;
  buyer: Identity;
  otherBuyer: Identity;
  close(): Promise<void>;
}

/**
 * The property service's real routes, command runner, repository and token verifier, with
 * memory where Postgres and Keycloak would be: no stack needed, each request a millisecond.
 * Every answer is still checked against the served OpenAPI document (jsonClient).
 */
export async function startInMemoryPropertyApi(
  deps: Partial<PropertyApiDeps> = {},
): Promise<InMemoryPropertyApi> {
  const store = new InMemoryEventStore<PropertyEvent>(propertyStreamType, propertyUpcasters);
  const repository = new EventSourcedRepository<PropertyEvent, Property, InMemoryTransaction>(
    store,
    blankProperty,
  );
  const metrics = new ServiceMetrics('property');
  const runner = new CommandRunner(repository, new InMemoryIdempotency(), metrics, propertyStreamType);
  const served = await serveInMemory({
    service: 'property',
    // No feed records in memory: every report is empty unless a test gives its own.
    routes: propertyRoutes({ runner, repository, feedReports: async () => [], ...deps }),
    api: propertyApi,
    metrics,
  });
  const [seller, buyer, otherBuyer] = await Promise.all([
    served.user('seller1', ['seller']),
    served.user('buyer1', ['buyer']),
    served.user('buyer2', ['buyer']),
  ]);
  return {
    store,
    repository,
    baseUrl: served.baseUrl,
    call: served.as(seller),
    as: served.as,
    anonymous: served.anonymous,
    user: served.user,
    seller,
    buyer,
    otherBuyer,
    close: served.close,
  };
}
