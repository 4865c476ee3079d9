import type { Router } from 'express';
import type { ApiDescription } from '../http/openapi/api-description';
import type { InfrastructureConfig } from './infrastructure';
import type { ServiceRuntime } from './service-runtime';
import type { Worker } from './worker';

/**
 * How one service is built, in the same steps for every service: configuration →
 * dependencies (clients registered on the runtime) → HTTP routes → workers. The entry
 * point (`npm run service -- <name>`), the supervisor (`npm start`) and the tests all
 * start a service through `startService`, so they treat every service alike.
 *
 * Methods (not function properties) on purpose: a definition with a narrower config type
 * is still a ServiceDefinition<InfrastructureConfig> to the service catalog.
 */
export interface ServiceDefinition<C extends InfrastructureConfig = InfrastructureConfig, T = unknown> {
  /** The service's name: its process, logs, metrics and Postgres application name. */
  readonly name: string;
  /** One line for the main job's banner: what the service serves and consumes. */
  readonly summary: string;
  /** Every route `build` registers, described: the service's /openapi.json and /docs. */
  readonly api: ApiDescription;
  /** Validated configuration; throws ConfigError naming every bad variable. */
  loadConfig(env: NodeJS.ProcessEnv): C;
  /** The HTTP port the configuration gives (0 picks a free one). */
  port(config: C): number;
  /** Builds routes and workers over clients taken from the runtime. Starts nothing. */
  build(config: C, runtime: ServiceRuntime): Promise<ServiceComponents<T>>;
}

export interface ServiceComponents<T> {
  routes: Router;
  /** Started in this order once the API listens; stopped in reverse. */
  workers: Worker[];
  /** Details /health adds to the readiness checks (lag, consumer state). */
  details?(): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** What tests, benchmarks and operations code may reach inside: the repository, the runner. */
  internals: T;
}
