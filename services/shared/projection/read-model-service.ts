import type { Client } from '@elastic/elasticsearch';
import type { Router } from 'express';
import { EventDecoder } from '../codec/event-decoder';
import { groupSettingsOf } from '../service/infrastructure';
import type { ApiDescription } from '../http/openapi/api-description';
import type { ServiceDefinition } from '../service/service-definition';
import type { ServiceRuntime } from '../service/service-runtime';
import { waitForAppliedVersion } from './consistency-token';
import type { ProjectionConfig } from './projection-config';
import { ProjectionMetrics } from './projection-metrics';
import { ProjectionRunner, type RunnerOptions } from './projection-runner';
import { projectionOpsOperations } from './projection-ops-api';
import { addProjectionOpsRoutes } from './projection-ops-routes';
import type { Projection, VersionedDocument } from './projection';

export interface ReadModelSpec<C extends ProjectionConfig, D extends VersionedDocument> {
  service: string;
  summary: string;
  /** Its routes, described (/openapi.json, /docs). */
  api: ApiDescription;
  projection: Projection<D>;
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  port: (config: C) => number;
  /** The query API, given the Elasticsearch client and the read-your-writes wait. */
  routes: (deps: {
    es: Client;
    runner: ProjectionRunner<D>;
    waitForToken: (token: string) => Promise<void>;
    /** For routes that need more clients (a key store pool): they register on it. */
    runtime: ServiceRuntime;
    config: C;
  }) => Router;
}

/** What tests and benchmarks reach inside a running read model. */
export interface ReadModelInternals<D extends VersionedDocument> {
  runner: ProjectionRunner<D>;
  es: Client;
}

/** The projector's settings from a read model's configuration. */
export function runnerOptionsOf(config: ProjectionConfig): RunnerOptions {
  return {
    batchSize: config.PROJECTION_BATCH_SIZE,
    retryInitialMs: 100,
    retryMaxMs: config.PROJECTION_RETRY_MAX_MS,
    stuckWarnMs: config.CONSUMER_STUCK_WARN_MS,
    partitionsConcurrently: config.PROJECTION_PARTITIONS_CONCURRENTLY,
    batchIntervalMs: config.PROJECTION_BATCH_INTERVAL_MS,
    layout: { shards: config.PROJECTION_INDEX_SHARDS, replicas: config.PROJECTION_INDEX_REPLICAS },
    refresh: {
      documents: config.PROJECTION_REFRESH_INTERVAL,
      facts: config.PROJECTION_FACTS_REFRESH_INTERVAL,
    },
    group: groupSettingsOf(config),
  };
}

/**
 * A read model as a service: its projector (one consumer group; replicas share it), its
 * query API and its operations for the `ops` role (/ops/projection: status, parked
 * aggregates, replay), /health reporting the projector's lag. A consistency token waits until
 * the projector has applied that version, then refreshes the read model's indices so
 * searches and aggregations see it, not only realtime gets.
 */
export function readModelService<C extends ProjectionConfig, D extends VersionedDocument>(
  spec: ReadModelSpec<C, D>,
): ServiceDefinition<C, ReadModelInternals<D>> {
  return {
    name: spec.service,
    summary: spec.summary,
    // The query API, then the operations every read model shares (GET /ops/projection, replay).
    api: { ...spec.api, operations: [...spec.api.operations, ...projectionOpsOperations] },
    loadConfig: spec.loadConfig,
    port: spec.port,
    async build(config, runtime) {
      const es = runtime.elasticsearch();
      const decoder = new EventDecoder(runtime.registry, spec.projection.streams);
      const runner = new ProjectionRunner(
        {
          kafka: runtime.kafka,
          es,
          decoder,
          logger: runtime.logger,
          metrics: new ProjectionMetrics(runtime.metrics.registry),
          onFatal: (error) => runtime.fatal(error),
        },
        spec.projection,
        runnerOptionsOf(config),
      );
      const indices = [spec.projection.alias, ...(spec.projection.facts ? [runner.store.factsAlias] : [])];
      const waitForToken = (token: string) =>
        waitForAppliedVersion(
          token,
          async (id) => (await runner.store.getMany([id])).get(id)?.version,
          config.CONSISTENCY_WAIT_MS,
          async () => {
            await es.indices.refresh({ index: indices });
          },
        );
      return {
        routes: addProjectionOpsRoutes(spec.routes({ es, runner, waitForToken, runtime, config }), {
          es,
          kafka: runtime.kafka,
          decoder,
          runner,
        }),
        workers: [runner],
        details: () => ({
          projection: spec.projection.name,
          lag: runner.totalLag,
          consumer: runner.membership.view(),
        }),
        internals: { runner, es },
      };
    },
  };
}
