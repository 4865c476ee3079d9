import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import type { ApiDescription } from '../../services/shared/http/openapi/api-description';
import { createServiceApp } from '../../services/shared/http/service-app';
import { createLogger } from '../../services/shared/observability/logger';
import type { ServiceMetrics } from '../../services/shared/observability/metrics';
import type { Identity } from './identities';
import { startLocalIssuer, type LocalIssuer } from './local-issuer';
import { jsonClient, type Call } from './property-harness';

/** A service's API served from this process, with callers signed in at a local issuer. */
export interface InMemoryApi {
  baseUrl: string;
  /** A request as `identity`; every answer is checked against the served OpenAPI document. */
  as(identity: Identity): Call;
  anonymous: Call;
  /** Someone with these realm roles. */
  user(username: string, roles: readonly string[]): Promise<Identity>;
  close(): Promise<void>;
}

/**
 * Serves a service's real routes through the app every service shares (authentication,
 * validation, problem answers, the OpenAPI document) on a loopback port, with tokens from an
 * issuer inside the process: an API test of that service needs no stack.
 */
export async function serveInMemory(options: {
  service: string;
  routes: Router;
  api: ApiDescription;
  metrics: ServiceMetrics;
  issuer?: LocalIssuer;
}): Promise<InMemoryApi> {
  const issuer = options.issuer ?? (await startLocalIssuer());
  const app = createServiceApp({
    logger: createLogger(options.service, 'silent'),
    metrics: options.metrics,
    verifier: issuer.verifier,
    routes: options.routes,
    api: options.api,
    readiness: async () => ({ ready: true, checks: { store: 'up' } }),
    details: async () => ({}),
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    as: (identity) => jsonClient(baseUrl, identity),
    anonymous: jsonClient(baseUrl),
    user: (username, roles) => issuer.user(username, roles),
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
