/** The light profile has one of each; the cluster profile numbers its nodes. */
export type ComponentName =
  | 'postgres'
  | 'kafka'
  | `kafka-${1 | 2 | 3}`
  | 'connect'
  | `connect-${1 | 2}`
  | 'registry'
  | 'elasticsearch'
  | `elasticsearch-${1 | 2}`
  | 'elasticsearch-tiebreaker'
  | 'keycloak'
  | 'zipkin'
  | 'partition-proxy';

export interface Health {
  healthy: boolean;
  detail: string;
}

/**
 * One process of the native stack. `up` runs prepare → start → (poll health) →
 * afterHealthy for each, after the components it depends on are healthy.
 */
export interface Component {
  readonly name: ComponentName;
  /** What it is and the version pinned, for progress and status output. */
  readonly title: string;
  /** Ports that must be free before it starts. */
  readonly ports: readonly number[];
  /** Where clients reach it. */
  readonly endpoint: string;
  readonly dependsOn: readonly ComponentName[];
  readonly startTimeoutMs: number;
  /** Signal that asks it for a clean, data-preserving shutdown. */
  readonly stopSignal: NodeJS.Signals;
  /** Resolves artifacts and initialises data on first use; a no-op afterwards. */
  prepare(): Promise<void>;
  start(): Promise<void>;
  health(): Promise<Health>;
  afterHealthy?(): Promise<void>;
  /**
   * The pid of a running process that is this component of this stack (it runs from the
   * stack's own data and cache folders) although `up` did not start it — e.g. Postgres
   * restarted with `pg_ctl`. The stack adopts it instead of refusing its port as foreign.
   */
  findOwnProcess?(): number | undefined;
}
