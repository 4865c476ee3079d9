import type { Server } from 'node:http';
import type { Client } from '@elastic/elasticsearch';
import type { Router } from 'express';
import { createServiceApp } from '../http/service-app';
import { waitForAppliedVersion } from './consistency-token';
import type { ProjectionConfig } from './projection-config';
import { createProjectionDeps } from './projection-deps';
import { ProjectionRunner } from './projection-runner';
import type { Projection, VersionedDocument } from './projection';

export interface ReadModelService<D extends VersionedDocument> {
  runner: ProjectionRunner<D>;
  listen(port?: number): Promise<Server>;
  close(): Promise<void>;
}

export interface ReadModelSpec<D extends VersionedDocument> {
  service: string;
  projection: Projection<D>;
  config: ProjectionConfig;
  port: number;
  /** The query API, given the Elasticsearch client and the read-your-writes wait. */
  routes: (deps: {
    es: Client;
    runner: ProjectionRunner<D>;
    waitForToken: (token: string) => Promise<void>;
  }) => Router;
}

/**
 * A read model as a service: its projector (one consumer group) and its query API in one
 * process, `/health` reporting the projector's lag. A consistency token waits until the
 * projector has applied that version, then refreshes the read model's indices so searches
 * and aggregations see it, not only realtime gets.
 */
export function createReadModelService<D extends VersionedDocument>(
  spec: ReadModelSpec<D>,
): ReadModelService<D> {
  const { deps, metrics, logger, runnerOptions } = createProjectionDeps(spec.service, spec.config);
  const runner = new ProjectionRunner(deps, spec.projection, runnerOptions);
  const indices = [spec.projection.alias, ...(spec.projection.facts ? [runner.store.factsAlias] : [])];
  const waitForToken = (token: string) =>
    waitForAppliedVersion(
      token,
      async (id) => (await runner.store.getMany([id])).get(id)?.version,
      spec.config.CONSISTENCY_WAIT_MS,
      async () => {
        await deps.es.indices.refresh({ index: indices });
      },
    );
  const app = createServiceApp({
    logger,
    metrics,
    routes: (a) => a.use(spec.routes({ es: deps.es, runner, waitForToken })),
    health: async () => ({ projection: spec.projection.name, lag: runner.totalLag }),
  });

  let server: Server | undefined;
  return {
    runner,
    listen: async (port = spec.port) => {
      await runner.start();
      return new Promise((resolve, reject) => {
        const s = app.listen(port, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
        server = s;
      });
    },
    close: async () => {
      if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
      await runner.stop();
      await deps.es.close();
    },
  };
}
