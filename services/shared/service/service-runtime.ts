import { Client } from '@elastic/elasticsearch';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import { sql, type Kysely } from 'kysely';
import type { TokenVerifier } from '../auth/token-verification';
import { createTokenVerifier } from '../auth/token-verifier';
import { databaseTimeouts, type InfrastructureConfig } from './infrastructure';
import { createDatabase } from '../db/database';
import { serviceConnectionString } from '../db/service-role';
import { createKafka } from '../kafka/kafka-client';
import { createLogger, type Logger } from '../observability/logger';
import { ServiceMetrics } from '../observability/metrics';
import { Readiness } from '../http/readiness';
import { elasticsearchClient } from '../elasticsearch/elasticsearch-client';

/**
 * The clients one service process uses, made from its configuration. Each client that
 * is taken registers its readiness check and its close, so a service says only which
 * dependencies it needs and /health/ready and shutdown follow from that.
 */
export class ServiceRuntime {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly registry: SchemaRegistry;
  readonly kafka: Kafka;
  /** Checks bearer tokens against the OIDC issuer's keys (fetched on first use, then cached). */
  readonly verifier: TokenVerifier;
  readonly readiness = new Readiness();
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly fatalListeners: Array<(error: Error) => void> = [];

  constructor(
    readonly service: string,
    readonly config: InfrastructureConfig,
    verifier?: TokenVerifier,
  ) {
    this.logger = createLogger(service, config.LOG_LEVEL);
    this.metrics = new ServiceMetrics(service);
    this.registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
    this.kafka = createKafka(config.KAFKA_BROKERS, `deedstream-${service}`, this.logger);
    this.verifier = verifier ?? createTokenVerifier(config);
    this.readiness.add('registry', () => registryAnswers(config.SCHEMA_REGISTRY_URL));
  }

  /** A pool on the service's own schema (readiness: `SELECT 1`). */
  database<DB>(schema: string, poolSize: number): Kysely<DB> {
    const db = createDatabase<DB>({
      // Its own role, with rights on its own schema only (see service-role.ts).
      connectionString: serviceConnectionString(this.service, this.config),
      maxConnections: poolSize,
      applicationName: `deedstream-${this.service}`,
      timeouts: databaseTimeouts(this.config),
      logger: this.logger,
    }).withSchema(schema);
    this.readiness.add('database', async () => {
      await sql`SELECT 1`.execute(db);
    });
    this.onClose(() => db.destroy());
    return db;
  }

  /** An Elasticsearch client (readiness: ping). Failures surface to the caller; retries are the caller's. */
  elasticsearch(): Client {
    const es = elasticsearchClient(this.config.ELASTICSEARCH_URL, { failFast: true });
    this.readiness.add('elasticsearch', async () => {
      await es.ping({}, { requestTimeout: 1_000 });
    });
    this.onClose(() => es.close());
    return es;
  }

  /**
   * Reports a failure the process cannot recover from by itself (a Kafka consumer kafkajs
   * gave up on). The process entry exits on it, so the supervisor starts a fresh process.
   */
  fatal(error: Error): void {
    this.logger.fatal({ err: error }, `${this.service}: unrecoverable failure`);
    for (const listener of this.fatalListeners) listener(error);
  }

  onFatal(listener: (error: Error) => void): void {
    this.fatalListeners.push(listener);
  }

  /** Runs at close, after the workers stopped, in reverse order of registration. */
  onClose(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      await close().catch((error: unknown) => this.logger.warn({ err: error }, 'closing a client failed'));
    }
  }
}

async function registryAnswers(url: string): Promise<void> {
  const response = await fetch(`${url}/schemas/types`, { signal: AbortSignal.timeout(1_000) });
  if (!response.ok) throw new Error(`schema registry answered HTTP ${response.status}`);
}
