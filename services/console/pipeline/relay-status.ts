import type { Kysely } from 'kysely';
import type { ConnectClient, ConnectorStatus } from '../../shared/connect/connect-client';
import { connectorNames, loadConnector } from '../../shared/connect/connector-file';
import { postgresSourceOffset, type PostgresSourceOffset } from '../../shared/connect/debezium-offset';
import { readReplicationSlot, type ReplicationSlot } from '../../shared/connect/replication-slot';
import { assessSlot } from '../../shared/connect/slot-health';
import { outboxSchemasOf } from '../../shared/connect/slot-recovery';
import { messageOf } from '../../shared/errors/message-of';
import { outboxBacklog, type OutboxBacklog } from './outbox-backlog';

/** An outbox relay: its connector and tasks, its slot, the outboxes it reads. */
export interface RelayStatus {
  connector: string;
  /** The schemas whose outboxes it relays (the services). */
  services: string[];
  state: string;
  tasks: Array<{ id: number; state: string; trace?: string }>;
  slot: {
    name: string;
    health: 'not-created' | 'healthy' | 'lost';
    detail: string | null;
    active: boolean | null;
    lagBytes: number | null;
    walStatus: string | null;
  };
  outbox: OutboxBacklog;
  error: string | null;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The outbox relay of every connector in connectors/, as `npm run connectors -- status` sees it. */
export async function relayStatuses(db: Kysely<unknown>, connect: ConnectClient): Promise<RelayStatus[]> {
  return Promise.all(connectorNames().map((name) => relayStatus(db, connect, name)));
}

async function relayStatus(db: Kysely<unknown>, connect: ConnectClient, name: string): Promise<RelayStatus> {
  const config = loadConnector(name).config;
  const slotName = config['slot.name'] ?? '';
  const status = unknownRelay(name, slotName);
  // Filled in as it is read: what was read before a failure is still shown, next to the error.
  try {
    const [connector, offsets, slot] = await Promise.all([
      connect.status(name),
      connect.offsets(name),
      readReplicationSlot(db, slotName),
    ]);
    status.state = connector.connector.state;
    status.tasks = connector.tasks.map(taskStatus);
    const offset = postgresSourceOffset(offsets);
    status.slot = slotStatus(slotName, slot, offset);
    status.services = outboxSchemasOf(name, config).filter((schema) => IDENTIFIER.test(schema));
    status.outbox = await outboxBacklog(db, status.services, offset?.committedAt);
  } catch (error) {
    status.error = messageOf(error);
  }
  return status;
}

/** A relay before anything of it was read. */
function unknownRelay(name: string, slotName: string): RelayStatus {
  return {
    connector: name,
    services: [],
    state: 'UNKNOWN',
    tasks: [],
    slot: {
      name: slotName,
      health: 'not-created',
      detail: null,
      active: null,
      lagBytes: null,
      walStatus: null,
    },
    outbox: { rows: 0, backlog: 0, relayedUpTo: null },
    error: null,
  };
}

/** A task as the console shows it: the first lines of its stack trace are enough to tell what failed. */
function taskStatus(task: ConnectorStatus['tasks'][number]): RelayStatus['tasks'][number] {
  return {
    id: task.id,
    state: task.state,
    ...(task.trace ? { trace: task.trace.split('\n').slice(0, 3).join('\n') } : {}),
  };
}

/** The slot, and whether the connector can still resume from its offset with it. */
function slotStatus(
  slotName: string,
  slot: ReplicationSlot | undefined,
  offset: PostgresSourceOffset | undefined,
): RelayStatus['slot'] {
  const health = assessSlot(slot, offset);
  return {
    name: slotName,
    health: health.kind,
    detail: health.kind === 'lost' ? health.detail : null,
    active: slot?.active ?? null,
    lagBytes: slot?.lagBytes ?? null,
    walStatus: slot?.walStatus ?? null,
  };
}
