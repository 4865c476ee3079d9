import type { InfrastructureConfig } from '../service/infrastructure';
import { messageOf } from '../errors/message-of';
import { commaSeparated } from '../config/variables';
/** A Kafka Connect failure, phrased for a person: what went wrong and what to do. */
export class ConnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectError';
  }
}

export type ConnectorState = 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'UNASSIGNED' | 'RESTARTING';

export interface ConnectorStatus {
  name: string;
  connector: { state: ConnectorState; worker_id: string; trace?: string };
  tasks: Array<{ id: number; state: ConnectorState; worker_id: string; trace?: string }>;
  type: string;
}

export interface ValidationResult {
  name: string;
  error_count: number;
  configs: Array<{
    definition: { name: string } | null;
    value: { name: string; value: string | null; errors: string[] } | null;
  }>;
}

export interface ConnectorOffsets {
  offsets: Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }>;
}

/** Who calls Connect's REST API (Basic authentication). */
export interface ConnectCredentials {
  username: string;
  password: string;
}

/**
 * The slice of the Kafka Connect REST API that deployment needs. `baseUrl` names one worker
 * or, comma-separated, several of one cluster: any worker answers for the whole cluster, so a
 * request that cannot reach one goes to the next (every call here is idempotent).
 */
export class ConnectClient {
  private readonly authorization: string;
  private readonly workers: readonly string[];

  constructor(
    readonly baseUrl: string,
    credentials: ConnectCredentials,
  ) {
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    this.authorization = `Basic ${basic}`;
    this.workers = commaSeparated(baseUrl);
  }

  /** The client of the configured cluster (CONNECT_URL, CONNECT_USERNAME, CONNECT_PASSWORD). */
  static of(config: Pick<InfrastructureConfig, 'CONNECT_URL' | 'CONNECT_USERNAME' | 'CONNECT_PASSWORD'>) {
    return new ConnectClient(config.CONNECT_URL, {
      username: config.CONNECT_USERNAME,
      password: config.CONNECT_PASSWORD,
    });
  }

  async connectorConfig(name: string): Promise<Record<string, string> | undefined> {
    const response = await this.request(
      'GET',
      `/connectors/${encodeURIComponent(name)}/config`,
      undefined,
      [404],
    );
    return response.status === 404 ? undefined : ((await response.json()) as Record<string, string>);
  }

  async putConfig(name: string, config: Record<string, string>): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/config`, config);
  }

  async validate(connectorClass: string, config: Record<string, string>): Promise<ValidationResult> {
    const response = await this.request(
      'PUT',
      `/connector-plugins/${encodeURIComponent(connectorClass)}/config/validate`,
      config,
    );
    return (await response.json()) as ValidationResult;
  }

  async status(name: string): Promise<ConnectorStatus> {
    const response = await this.request('GET', `/connectors/${encodeURIComponent(name)}/status`);
    return (await response.json()) as ConnectorStatus;
  }

  /** Restarts the connector instance alone, on the worker the group gave it; its tasks keep running. */
  async restartConnector(name: string): Promise<void> {
    // 409: a rebalance is under way, after which the worker writes a fresh status anyway.
    await this.request('POST', `/connectors/${encodeURIComponent(name)}/restart`, undefined, [409]);
  }

  async restartFailed(name: string): Promise<void> {
    await this.request(
      'POST',
      `/connectors/${encodeURIComponent(name)}/restart?includeTasks=true&onlyFailed=true`,
    );
  }

  async pause(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/pause`);
  }

  async resume(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/resume`);
  }

  async stop(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/stop`);
  }

  async delete(name: string): Promise<void> {
    await this.request('DELETE', `/connectors/${encodeURIComponent(name)}`);
  }

  async offsets(name: string): Promise<ConnectorOffsets> {
    const response = await this.request('GET', `/connectors/${encodeURIComponent(name)}/offsets`);
    return (await response.json()) as ConnectorOffsets;
  }

  /** PATCH the source offsets (Connect 3.6+); the connector must be STOPPED. */
  async alterOffsets(name: string, offsets: ConnectorOffsets): Promise<void> {
    await this.request('PATCH', `/connectors/${encodeURIComponent(name)}/offsets`, offsets);
  }

  async deleteOffsets(name: string): Promise<void> {
    await this.request('DELETE', `/connectors/${encodeURIComponent(name)}/offsets`);
  }

  async list(): Promise<string[]> {
    return (await (await this.request('GET', '/connectors')).json()) as string[];
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    allowed: number[] = [],
  ): Promise<Response> {
    const response = await this.fromAnyWorker(method, path, body);
    if (response.ok || allowed.includes(response.status)) return response;
    if (response.status === 401) {
      throw new ConnectError(
        `Kafka Connect at ${this.baseUrl} refused the credentials of CONNECT_USERNAME and CONNECT_PASSWORD (HTTP 401)`,
      );
    }
    const text = await response.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: keep the text
    }
    if (response.status === 404 && /connector .* not found|no status found for connector/i.test(message)) {
      const name = /\/connectors\/([^/?]+)/.exec(path)?.[1];
      throw new ConnectError(
        `unknown connector "${decodeURIComponent(name ?? '')}" on ${this.baseUrl}: apply it first (npm run connectors -- apply <name>)`,
      );
    }
    throw new ConnectError(`Kafka Connect answered ${response.status} to ${method} ${path}: ${message}`);
  }

  /** The first worker's answer that arrives, trying the workers in order. */
  private async fromAnyWorker(method: string, path: string, body?: unknown): Promise<Response> {
    const unreachable: string[] = [];
    for (const worker of this.workers) {
      try {
        return await fetch(`${worker}${path}`, {
          method,
          headers: {
            Authorization: this.authorization,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        unreachable.push(
          messageOf(error instanceof Error && error.cause !== undefined ? error.cause : error),
        );
      }
    }
    throw new ConnectError(
      `cannot reach Kafka Connect at ${this.baseUrl} (${unreachable.join('; ')}): start it with \`npm run stack -- up\` or set CONNECT_URL`,
    );
  }
}
