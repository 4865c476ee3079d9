import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { EventDecoder } from '../codec/event-decoder';
import type { StreamSchemas } from '../codec/stream-schemas';
import { createKafka } from '../kafka/kafka-client';
import { createLogger } from '../observability/logger';
import { ServiceMetrics } from '../observability/metrics';
import type { ProjectionConfig } from './projection-config';
import { ProjectionMetrics } from './projection-metrics';
import type { RunnerDeps } from './projection-runner';
import { runnerOptionsOf } from './read-model-service';
import { elasticsearchClient } from '../elasticsearch/elasticsearch-client';

/** Clients and metrics for a projector outside a service process (CLIs, benchmarks, tests). */
export function createProjectionDeps(
  service: string,
  config: ProjectionConfig,
  streams: readonly StreamSchemas[],
) {
  const logger = createLogger(service, config.LOG_LEVEL);
  const metrics = new ServiceMetrics(service);
  const deps: RunnerDeps = {
    kafka: createKafka(config.KAFKA_BROKERS, `deedstream-${service}`, logger),
    es: elasticsearchClient(config.ELASTICSEARCH_URL, { failFast: true }),
    decoder: new EventDecoder(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL }), streams),
    logger,
    metrics: new ProjectionMetrics(metrics.registry),
  };
  return { deps, metrics, logger, runnerOptions: runnerOptionsOf(config) };
}
