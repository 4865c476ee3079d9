import { discoveryUrlOf } from '../shared/auth/auth-config';
import { discoverIssuer, IssuerUnavailableError } from '../shared/auth/oidc-discovery';
import { ConnectClient } from '../shared/connect/connect-client';
import type { ServiceDefinition } from '../shared/service/service-definition';
import { consoleApi } from './api/console-openapi';
import { consoleRoutes } from './api/console-routes';
import { consoleConfig, upstreamsOf, type ConsoleConfig } from './console-config';
import { ConsumerLagHistory } from './pipeline/consumer-lag-history';
import { PendingSignIns } from './session/pending-sign-ins';
import { SessionStore } from './session/session-store';
import { bundleWeb } from './web-bundle';

/**
 * The web console (port 3000): Listings, Markets and Pipeline over the other services' APIs.
 * A small backend for its front end: it signs users in at the identity provider and keeps
 * their tokens, passes the pages' reads on with them, and gathers the pipeline's state
 * (Connect, replication slots, outboxes, consumer lag) for the ops role.
 */
export const consoleService: ServiceDefinition<ConsoleConfig, { sessions: SessionStore }> = {
  name: 'console',
  summary: 'the web console: Listings, Markets, Pipeline (open it in a browser)',
  api: consoleApi,
  loadConfig: consoleConfig,
  port: (config) => config.CONSOLE_PORT,
  async build(config, runtime) {
    const sessions = new SessionStore({
      issuerUrl: config.OIDC_ISSUER_URL,
      discoveryUrl: discoveryUrlOf(config),
      // Refresh tokens belong to the client that was granted them: the console's own.
      clientId: config.CONSOLE_OIDC_CLIENT_ID,
      verifier: runtime.verifier,
      idleMs: config.CONSOLE_SESSION_IDLE_MS,
      maxSessions: config.CONSOLE_SESSION_MAX,
    });
    const lagHistory = new ConsumerLagHistory(
      runtime.kafka,
      config.CONSOLE_LAG_SAMPLE_MS,
      config.CONSOLE_LAG_WINDOW_MS,
      runtime.logger,
    );
    const routes = consoleRoutes({
      sessions,
      bundle: await bundleWeb(),
      upstreams: upstreamsOf(config),
      kafka: runtime.kafka,
      // Replication slots and outbox counts: read-only queries across the service schemas.
      db: runtime.database<unknown>('public', 2),
      connect: ConnectClient.of(config),
      lagHistory,
      sessionMaxAgeSeconds: Math.round(config.CONSOLE_SESSION_IDLE_MS / 1000),
      signIn: {
        issuerUrl: config.OIDC_ISSUER_URL,
        discoveryUrl: discoveryUrlOf(config),
        clientId: config.CONSOLE_OIDC_CLIENT_ID,
        // The browser goes there: Keycloak names its public (frontchannel) address whichever
        // address the metadata was read from.
        authorizationEndpoint: async () => {
          const { authorization_endpoint: endpoint } = await discoverIssuer(
            config.OIDC_ISSUER_URL,
            undefined,
            discoveryUrlOf(config),
          );
          if (!endpoint)
            throw new IssuerUnavailableError(`${config.OIDC_ISSUER_URL} names no authorization endpoint`);
          return endpoint;
        },
        pending: new PendingSignIns(),
      },
    });
    return { routes, workers: [lagHistory], internals: { sessions } };
  },
};
