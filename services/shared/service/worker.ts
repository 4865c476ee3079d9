/**
 * Something a service process runs beside its HTTP API: a consumer group, a projector,
 * a periodic sweep. Started after the API listens, stopped before it closes.
 */
export interface Worker {
  readonly name: string;
  start(): Promise<void>;
  /** Finishes the work in hand (commits what it consumed), then stops. */
  stop(): Promise<void>;
  /** Why it cannot do its job right now (for /health/ready), or undefined when it can. */
  notReadyReason?(): string | undefined;
}
