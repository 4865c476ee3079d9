import type { Express } from 'express';
import type { TokenVerifier } from '../auth/token-verification';
import type { InfrastructureConfig } from './infrastructure';
import { createServiceApp } from '../http/service-app';
import { HttpListener } from './http-listener';
import type { ServiceComponents, ServiceDefinition } from './service-definition';
import { ServiceRuntime } from './service-runtime';
import { ServiceWorkers } from './service-workers';
import type { Worker } from './worker';

export interface StartOptions {
  /** Environment to read the configuration from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** HTTP port instead of the configured one; 0 picks a free port (tests). */
  port?: number;
  /** Start the workers (consumers, projectors, sweeps); false serves only the API. */
  workers?: boolean;
  /**
   * Checks bearer tokens instead of the configured OIDC issuer's keys. Only code can pass
   * one (no configuration switches verification off): bench:commands uses it to measure
   * what verification costs per request.
   */
  verifier?: TokenVerifier;
}

/** A started service: its API's address, its workers, and what it exposes to tests and tools. */
export interface RunningService<C extends InfrastructureConfig = InfrastructureConfig, T = unknown> {
  name: string;
  config: C;
  runtime: ServiceRuntime;
  internals: T;
  workers: readonly Worker[];
  port: number;
  url: string;
  /** Starts the workers not started yet (after `workers: false`). */
  startWorkers(): Promise<void>;
  /** HTTP first (no new requests, in-flight ones finish), then workers, then clients. */
  stop(): Promise<void>;
}

/**
 * Starts one service the same way for every service: configuration → dependencies →
 * HTTP API (listening, so /health/live answers at once) → workers. A worker whose start
 * fails transiently (Kafka or Elasticsearch not reachable yet) is retried with backoff
 * until it starts or the service stops; any other failure stops what was started and
 * rejects.
 */
export async function startService<C extends InfrastructureConfig, T>(
  definition: ServiceDefinition<C, T>,
  options: StartOptions = {},
): Promise<RunningService<C, T>> {
  const config = definition.loadConfig(options.env ?? process.env);
  const runtime = new ServiceRuntime(definition.name, config, options.verifier);
  const workers = new ServiceWorkers(runtime);
  let http: HttpListener | undefined;

  const stop = async () => {
    workers.halt();
    await http?.close();
    await workers.stop();
    await runtime.close();
  };

  try {
    const components = await definition.build(config, runtime);
    const startAll = options.workers ?? true;
    if (startAll) components.workers.forEach((worker) => workers.expectReady(worker));
    http = new HttpListener(serviceApp(definition, runtime, components));
    await http.listen(options.port ?? definition.port(config), config.HTTP_HOST);

    // Workers not counted for readiness up front (an API-only start) count from their start on.
    const startWorkers = () => workers.start(components.workers, !startAll);
    if (startAll) await startWorkers();

    return {
      name: definition.name,
      config,
      runtime,
      internals: components.internals,
      workers: components.workers,
      port: http.port,
      url: `http://${localAddressOf(config.HTTP_HOST)}:${http.port}`,
      startWorkers,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The service's HTTP app: its routes and API description, with health, metrics and token checks. */
function serviceApp<C extends InfrastructureConfig, T>(
  definition: ServiceDefinition<C, T>,
  runtime: ServiceRuntime,
  components: ServiceComponents<T>,
): Express {
  return createServiceApp({
    logger: runtime.logger,
    metrics: runtime.metrics,
    verifier: runtime.verifier,
    routes: components.routes,
    api: definition.api,
    details: async () => (await components.details?.()) ?? {},
    readiness: () => runtime.readiness.report(),
  });
}

/** How this process reaches its own listener: a wildcard address is reached on loopback. */
function localAddressOf(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
