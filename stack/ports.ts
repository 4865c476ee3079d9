/**
 * Where each native stack component listens (all on 127.0.0.1). These are the same
 * ports docker-compose.yml publishes, so services and tests need no per-stack config.
 */
export const stackPorts = {
  postgres: 5433,
  kafka: 9092,
  kafkaController: 9093,
  connect: 8083,
  registry: 8081,
  /** Apicurio (Quarkus) serves its health checks on a separate management port. */
  registryManagement: 8091,
  elasticsearch: 9200,
  elasticsearchTransport: 9300,
  /** Keycloak (OIDC identity provider): the realm's issuer is http://127.0.0.1:8180/realms/deedstream. */
  keycloak: 8180,
  /** Keycloak's management interface (health), away from Apicurio's 8091 and Keycloak's default 9000. */
  keycloakManagement: 9190,
  /** Zipkin: trace UI at /zipkin/, query API at /api/v2, span intake at /api/v2/spans. */
  zipkin: 9411,
} as const;

/**
 * Keycloak's bootstrap administrator (master realm), created on its first start. Local
 * development only: the admin REST API the tests use signs in with it.
 */
export const keycloakAdmin = { username: 'admin', password: 'admin' } as const;

/**
 * The one user of Kafka Connect's REST API (Basic authentication), which the connectors CLI,
 * `npm start` and the console sign in as: CONNECT_USERNAME and CONNECT_PASSWORD default to
 * these. Local development only.
 */
export const stackConnect = { username: 'deedstream', password: 'deedstream-connect' } as const;

/** Credentials of the stack's own Postgres cluster (local development only). */
export const stackPostgres = {
  user: 'deedstream',
  password: 'deedstream',
  /**
   * The outbox relay's own role (REPLICATION, SELECT on the outboxes), which Debezium signs in
   * as: created by provisioning with the local password, its name (migrations/roles.ts).
   */
  relayUser: 'deedstream_relay',
  relayPassword: 'deedstream_relay',
  database: 'deedstream',
  /** Apicurio Registry keeps its schemas in a database of its own. */
  registryDatabase: 'apicurio',
  /** Keycloak keeps realms, users and signing keys in a database of its own. */
  keycloakDatabase: 'keycloak',
} as const;
