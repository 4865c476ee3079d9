import type { Kysely } from 'kysely';
import { ensurePublication } from './publication';
import fs from 'node:fs';
import path from 'node:path';
import {
  ConnectError,
  type ConnectClient,
  type ConnectorStatus,
  type ValidationResult,
} from './connect-client';
import { diffConfig, type ConfigChange } from './config-diff';
import { placeholdersIn, type ConnectorDefinition } from './connector-file';
import { messageOf } from '../errors/message-of';

export interface ApplyResult {
  changed: boolean;
  changes: ConfigChange[];
  status: ConnectorStatus;
}

export interface FieldError {
  field: string;
  message: string;
}

/** The config Connect stores: the file's config plus the connector name. */
export function desiredConfig(definition: ConnectorDefinition): Record<string, string> {
  return { ...definition.config, name: definition.name };
}

/**
 * Connect's validation errors, by field. The worker resolves ${provider:…} placeholders
 * before validating; one it could not resolve stays literal and shows up in the error
 * text, which is the surest sign of a secret missing from the worker's environment.
 */
export async function validateConnector(
  client: ConnectClient,
  definition: ConnectorDefinition,
): Promise<FieldError[]> {
  const connectorClass = definition.config['connector.class'];
  if (!connectorClass) return [{ field: 'connector.class', message: 'missing' }];
  const result: ValidationResult = await client.validate(connectorClass, desiredConfig(definition));
  const errors: FieldError[] = [];
  for (const { value } of result.configs) {
    // Connect lists some entries (group headers) without a value.
    if (!value) continue;
    for (const message of value.errors)
      errors.push({ field: value.name, message: `${message}${placeholderHint(message, definition)}` });
  }
  return errors;
}

function placeholderHint(message: string, definition: ConnectorDefinition): string {
  const unresolved = placeholdersIn(message);
  if (unresolved.length > 0) {
    return ` — unresolved placeholder ${unresolved.join(', ')}: define it in the Connect worker's environment and in its env provider's allowlist (config.providers.env.param.allowlist.pattern)`;
  }
  if (/password authentication failed/i.test(message)) {
    const secret = placeholdersIn(definition.config['database.password']);
    if (secret.length > 0)
      return ` — check that ${secret.join(', ')} resolves to the right password on the Connect worker`;
  }
  return '';
}

/**
 * Idempotent deployment: the connector's publication is made or updated (as `db`'s user, the
 * schemas' owner); an unchanged config is a no-op; a changed one is PUT after the
 * running config is saved for `rollback`; then waits until connector and tasks RUN.
 */
export async function applyConnector(
  client: ConnectClient,
  db: Kysely<unknown>,
  definition: ConnectorDefinition,
  stateDir: string,
  timeoutMs = 90_000,
): Promise<ApplyResult> {
  const errors = await validateConnector(client, definition);
  if (errors.length > 0) {
    throw new ConnectError(
      `${definition.name}: invalid config: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    );
  }
  // Before the connector starts: it reads this publication and may not make its own.
  await ensurePublication(db, desiredConfig(definition));
  const running = await client.connectorConfig(definition.name);
  const changes = diffConfig(running, desiredConfig(definition));
  if (changes.length > 0) {
    if (running) savePrevious(stateDir, client.baseUrl, definition.name, running);
    await client.putConfig(definition.name, desiredConfig(definition));
  }
  if (changes.length === 0) {
    // Converge: the config is right but a part failed earlier (e.g. its tables did not exist yet).
    const current = await client.status(definition.name);
    if (hasStaleConnectorStatus(current)) await client.restartConnector(definition.name);
    if (hasFailed(current)) {
      await client.restartFailed(definition.name);
      // The restart is asynchronous: until it begins, status still says FAILED.
      const deadline = Date.now() + 15_000;
      while (hasFailed(await client.status(definition.name)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
  const status = await waitForRunning(client, definition.name, timeoutMs);
  return { changed: changes.length > 0, changes, status };
}

/**
 * The connector UNASSIGNED while every task runs: a status written by a worker that was cut
 * off and, on its return, stopped what the group had long given to another (Connect reads
 * such a late write as the newest). Restarting the connector alone makes the worker that has
 * it write the truth; its tasks, the relay itself, go on untouched.
 */
function hasStaleConnectorStatus(status: ConnectorStatus): boolean {
  return (
    status.connector.state === 'UNASSIGNED' &&
    status.tasks.length > 0 &&
    status.tasks.every((task) => task.state === 'RUNNING')
  );
}

function hasFailed(status: ConnectorStatus): boolean {
  return [status.connector, ...status.tasks].some((s) => s.state === 'FAILED');
}

/** Restores the config that the last changing `apply` replaced. */
export async function rollbackConnector(
  client: ConnectClient,
  name: string,
  stateDir: string,
  timeoutMs = 90_000,
): Promise<ConnectorStatus> {
  const file = previousFile(stateDir, client.baseUrl, name);
  if (!fs.existsSync(file)) {
    throw new ConnectError(
      `${name}: nothing to roll back to (no earlier config was replaced by apply on ${client.baseUrl})`,
    );
  }
  const previous = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  const current = await client.connectorConfig(name);
  await client.putConfig(name, previous);
  // The config we just replaced becomes the one a second rollback returns to.
  if (current) savePrevious(stateDir, client.baseUrl, name, current);
  return waitForRunning(client, name, timeoutMs);
}

/** Polls until the connector and every task are RUNNING; a FAILED one ends it with its trace. */
export async function waitForRunning(
  client: ConnectClient,
  name: string,
  timeoutMs: number,
): Promise<ConnectorStatus> {
  return waitForState(client, name, 'RUNNING', timeoutMs);
}

export async function waitForState(
  client: ConnectClient,
  name: string,
  wanted: 'RUNNING' | 'STOPPED' | 'PAUSED',
  timeoutMs: number,
): Promise<ConnectorStatus> {
  const deadline = Date.now() + timeoutMs;
  let status: ConnectorStatus | undefined;
  while (Date.now() < deadline) {
    try {
      status = await client.status(name);
    } catch (error) {
      // Right after a PUT the status may not exist yet.
      if (!(error instanceof ConnectError) || !/unknown connector/.test(error.message)) throw error;
    }
    if (status) {
      const failed = [status.connector, ...status.tasks].find((s) => s.state === 'FAILED');
      // A failed connector is what one often stops: until the stop lands, FAILED is expected.
      if (failed && wanted !== 'STOPPED') {
        const trace = failed.trace?.split('\n').slice(0, 12).join('\n') ?? '(no trace)';
        throw new ConnectError(
          `${name}: ${'id' in failed ? `task ${String(failed.id)}` : 'connector'} FAILED:\n${trace}`,
        );
      }
      // A stopped connector has no tasks left: until then one may still be shutting down.
      const tasksReady =
        wanted === 'STOPPED'
          ? status.tasks.length === 0
          : status.tasks.length > 0 && status.tasks.every((t) => t.state === wanted);
      if (status.connector.state === wanted && tasksReady) return status;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new ConnectError(
    `${name}: not ${wanted} after ${timeoutMs / 1000} s (connector ${status?.connector.state ?? 'unknown'}, tasks ${status?.tasks.map((t) => t.state).join(',') || 'none'})`,
  );
}

/** stop → delete offsets → resume; refuses if the connector cannot be stopped. */
export async function resetOffsets(client: ConnectClient, name: string, timeoutMs = 60_000): Promise<void> {
  await client.stop(name);
  try {
    await waitForState(client, name, 'STOPPED', timeoutMs);
  } catch (error) {
    throw new ConnectError(
      `${name}: refusing to reset offsets: the connector could not be stopped (${messageOf(error)})`,
    );
  }
  await client.deleteOffsets(name);
  await client.resume(name);
  await waitForRunning(client, name, timeoutMs);
}

function previousFile(stateDir: string, baseUrl: string, name: string): string {
  // Rollback state is per Connect cluster: the same name may run on several.
  const cluster = baseUrl.replace(/^https?:\/\//, '').replace(/[^A-Za-z0-9.-]+/g, '_');
  return path.join(stateDir, cluster, `${name}.previous.json`);
}

function savePrevious(stateDir: string, baseUrl: string, name: string, config: Record<string, string>): void {
  const file = previousFile(stateDir, baseUrl, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}
