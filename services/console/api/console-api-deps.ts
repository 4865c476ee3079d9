import type { Kafka } from 'kafkajs';
import type { Kysely } from 'kysely';
import type { ConnectClient } from '../../shared/connect/connect-client';
import type { UpstreamName } from '../console-config';
import type { ConsumerLagHistory } from '../pipeline/consumer-lag-history';
import type { PendingSignIns } from '../session/pending-sign-ins';
import type { SessionStore } from '../session/session-store';
import type { WebBundle } from '../web-bundle';

/** What the console API needs: sessions, the page's bundle, the services it fronts, the pipeline's parts. */
export interface ConsoleApiDeps {
  sessions: SessionStore;
  bundle: WebBundle;
  upstreams: Record<UpstreamName, string>;
  kafka: Kafka;
  db: Kysely<unknown>;
  connect: ConnectClient;
  lagHistory: ConsumerLagHistory;
  sessionMaxAgeSeconds: number;
  /** Sign-in at the identity provider: authorization code flow with PKCE. */
  signIn: {
    issuerUrl: string;
    /** Where this process reaches the issuer (OIDC_DISCOVERY_URL), if not at issuerUrl. */
    discoveryUrl?: string;
    clientId: string;
    authorizationEndpoint: () => Promise<string>;
    pending: PendingSignIns;
  };
}
