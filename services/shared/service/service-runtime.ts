import type { Server } from 'node:http';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Express } from 'express';
import type { Kafka } from 'kafkajs';
import type { Kysely } from 'kysely';
import type { InfrastructureConfig } from '../config/infrastructure';
import { createDatabase } from '../db/database';
import { createKafka } from '../kafka/kafka-client';
import { createLogger, type Logger } from '../observability/logger';
import { ServiceMetrics } from '../observability/metrics';

/** The clients one service process needs, built once from its configuration. */
export interface ServiceRuntime<DB> {
  service: string;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Scoped to the service's own schema. */
  db: Kysely<DB>;
  registry: SchemaRegistry;
  kafka: Kafka;
}

export function createServiceRuntime<DB>(
  service: string,
  config: InfrastructureConfig,
  options: { schema: string; pool: number },
): ServiceRuntime<DB> {
  const logger = createLogger(service, config.LOG_LEVEL);
  return {
    service,
    logger,
    metrics: new ServiceMetrics(service),
    db: createDatabase<DB>({
      connectionString: config.DATABASE_URL,
      maxConnections: options.pool,
      applicationName: `deedstream-${service}`,
    }).withSchema(options.schema),
    registry: new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }),
    kafka: createKafka(config.KAFKA_BROKERS, `deedstream-${service}`, logger),
  };
}

/** Starts and stops an express app on 127.0.0.1. */
export class HttpListener {
  private current: Server | undefined;

  constructor(
    private readonly app: Express,
    private readonly defaultPort: number,
  ) {}

  /** The listening server (its address has the port when started on port 0). */
  get server(): Server {
    if (!this.current) throw new Error('not listening');
    return this.current;
  }

  listen(port = this.defaultPort): Promise<Server> {
    return new Promise((resolve, reject) => {
      const s = this.app.listen(port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
      this.current = s;
    });
  }

  async close(): Promise<void> {
    const server = this.current;
    this.current = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
