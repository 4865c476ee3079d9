import { Client } from '@elastic/elasticsearch';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createKafka } from '../kafka/kafka-client';
import { createLogger } from '../observability/logger';
import { ServiceMetrics } from '../observability/metrics';
import type { ProjectionConfig } from './projection-config';
import { ProjectionMetrics } from './projection-metrics';
import type { RunnerDeps, RunnerOptions } from './projection-runner';

/** Clients and metrics a projecting service needs, built once from its configuration. */
export function createProjectionDeps(service: string, config: ProjectionConfig) {
  const logger = createLogger(service, config.LOG_LEVEL);
  const metrics = new ServiceMetrics(service);
  const deps: RunnerDeps = {
    kafka: createKafka(config.KAFKA_BROKERS, `deedstream-${service}`, logger),
    es: new Client({ node: config.ELASTICSEARCH_URL, requestTimeout: 30_000, maxRetries: 0 }),
    registry: new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }),
    logger,
    metrics: new ProjectionMetrics(metrics.registry),
  };
  const runnerOptions: RunnerOptions = {
    batchSize: config.PROJECTION_BATCH_SIZE,
    lingerMs: config.PROJECTION_LINGER_MS,
    retryInitialMs: 100,
    retryMaxMs: config.PROJECTION_RETRY_MAX_MS,
    stuckWarnMs: config.CONSUMER_STUCK_WARN_MS,
    partitionsConcurrently: config.PROJECTION_PARTITIONS_CONCURRENTLY,
    refreshInterval: config.PROJECTION_REFRESH_INTERVAL,
  };
  return { deps, metrics, logger, runnerOptions };
}
