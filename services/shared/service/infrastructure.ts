import { z } from 'zod';
import { authSchema } from '../auth/auth-config';
import type { DatabaseTimeouts } from '../db/database';
import type { GroupSettings } from '../kafka/group-consumer';
import { loadConfig } from '../config/load-config';
import { deploymentVariable, millisecondsVariable, urlListVariable } from '../config/variables';

/** A count of Kafka replicas; unset leaves what connectors/topics.json or the broker says. */
const replicaCount = (description: string) =>
  z.coerce.number().int().min(1).max(7).optional().describe(description);

/**
 * Where the shared infrastructure is (the identity provider's settings included: every
 * API checks bearer tokens). Every default points at the native stack
 * (`npm run stack -- up`) and at docker-compose.yml, which publish the same ports.
 */
export const infrastructureSchema = z
  .object({
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/ })
      .default('postgres://deedstream:deedstream@127.0.0.1:5433/deedstream')
      .describe(
        'PostgreSQL holding every service schema (events, outbox, read state); its user owns the schemas and is used by migrations, provisioning and the CLIs, while each service signs in as its own role deedstream_<service> on the same server',
      ),
    DATABASE_SERVICE_PASSWORD: z
      .string()
      .min(1)
      .optional()
      .describe(
        "password of this service's own Postgres role deedstream_<service> (unset: the local stack's, the role's name; refused when DEEDSTREAM_DEPLOYMENT=production)",
      ),
    DEEDSTREAM_DEPLOYMENT: deploymentVariable(),
    KAFKA_BROKERS: z
      .string()
      .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'expected host:port[,host:port…]')
      .default('127.0.0.1:9092')
      .describe('Kafka bootstrap servers, comma-separated'),
    SCHEMA_REGISTRY_URL: z
      .url()
      .default('http://127.0.0.1:8081/apis/ccompat/v7')
      .describe('Confluent-compatible schema registry API (Apicurio ccompat v7)'),
    ELASTICSEARCH_URL: urlListVariable(
      'http://127.0.0.1:9200',
      "Elasticsearch HTTP endpoint, or a cluster's data nodes comma-separated",
    ),
    CONNECT_URL: urlListVariable(
      'http://127.0.0.1:8083',
      'Kafka Connect REST API: one worker, or the workers of one cluster comma-separated',
    ),
    CONNECT_USERNAME: z
      .string()
      .min(1)
      .default('deedstream')
      .describe("user of Kafka Connect's REST API (Basic authentication)"),
    CONNECT_PASSWORD: z
      .string()
      .min(1)
      .default('deedstream-connect')
      .describe("password of Kafka Connect's REST API; the default is the local stack's (development only)"),
    KAFKA_TOPIC_REPLICATION_FACTOR: replicaCount(
      "replication factor of the topics provisioning creates (unset: connectors/topics.json's default, 1 for the one-broker stack; 3 on a cluster)",
    ),
    KAFKA_TOPIC_MIN_INSYNC_REPLICAS: replicaCount(
      'min.insync.replicas of the topics provisioning creates: with every producer at acks=all, a write is acknowledged once this many replicas have it (unset: the broker default, 1; 2 with 3 replicas)',
    ),
    CONSUMER_STUCK_WARN_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .default(30_000)
      .describe(
        'consumers and projectors: how long transient retries may block a partition before it is logged and counted as stuck',
      ),
    LOG_LEVEL: z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
      .default('info')
      .describe('least severity logged (pino JSON lines on stdout); silent logs nothing'),
    DB_CONNECT_TIMEOUT_MS: millisecondsVariable(
      3_000,
      'longest wait for a database connection before the call fails (503)',
    ),
    DB_STATEMENT_TIMEOUT_MS: millisecondsVariable(
      15_000,
      'statement_timeout of every service connection (0 = none)',
    ),
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: millisecondsVariable(
      30_000,
      'idle_in_transaction_session_timeout of every service connection (0 = none)',
    ),
    DB_IDLE_TIMEOUT_MS: millisecondsVariable(30_000, 'an idle pooled connection is closed after this long'),
    KAFKA_SESSION_TIMEOUT_MS: millisecondsVariable(
      30_000,
      'consumers: how long the broker waits for a silent member (a killed replica) before moving its partitions to the others',
    ).pipe(z.number().min(6_000, 'at least 6000 (the broker minimum)')),
    KAFKA_FETCH_WAIT_MS: millisecondsVariable(
      2_000,
      'consumers: the longest a fetch waits while nothing new arrives (the broker answers as soon as a message does, so this adds no latency; shorter is more idle round trips, longer a slower stop)',
    ).pipe(z.number().min(10).max(30_000)),
    KAFKA_COMMIT_INTERVAL_MS: millisecondsVariable(
      1_000,
      'consumers: consumed offsets are committed at most this often (0: after every batch); a crash redelivers at most this much, which every consumer takes',
    ).pipe(z.number().max(60_000)),
    HTTP_HOST: z
      .union([z.ipv4(), z.ipv6()])
      .default('127.0.0.1')
      .describe(
        'address the HTTP API listens on: 127.0.0.1 reaches it from this machine only; 0.0.0.0 in a container whose port is published (compose, Kubernetes)',
      ),
    SHUTDOWN_TIMEOUT_MS: millisecondsVariable(
      10_000,
      'a stopping process finishes in-flight work for at most this long, then exits anyway',
    ),
  })
  .extend(authSchema.shape);

/** The consumer groups' settings from a service's configuration. */
export function groupSettingsOf(
  config: Pick<
    InfrastructureConfig,
    'KAFKA_SESSION_TIMEOUT_MS' | 'KAFKA_FETCH_WAIT_MS' | 'KAFKA_COMMIT_INTERVAL_MS'
  >,
): GroupSettings {
  return {
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    fetchWaitMs: config.KAFKA_FETCH_WAIT_MS,
    commitIntervalMs: config.KAFKA_COMMIT_INTERVAL_MS,
  };
}

/** The database time limits of a service's configuration, for createDatabase. */
export function databaseTimeouts(config: InfrastructureConfig): DatabaseTimeouts {
  return {
    connectMs: config.DB_CONNECT_TIMEOUT_MS,
    statementMs: config.DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    idleMs: config.DB_IDLE_TIMEOUT_MS,
  };
}

export type InfrastructureConfig = z.infer<typeof infrastructureSchema>;

export function infrastructureConfig(env: NodeJS.ProcessEnv = process.env): InfrastructureConfig {
  return loadConfig(infrastructureSchema, env);
}
