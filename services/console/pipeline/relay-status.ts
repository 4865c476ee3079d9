import { sql, type Kysely } from 'kysely';
import type { ConnectClient } from '../../shared/connect/connect-client';
import { connectorNames, loadConnector } from '../../shared/connect/connector-file';
import { postgresSourceOffset } from '../../shared/connect/debezium-offset';
import { readReplicationSlot } from '../../shared/connect/replication-slot';
import { assessSlot } from '../../shared/connect/slot-health';
import { outboxSchemasOf } from '../../shared/connect/slot-recovery';
import { messageOf } from '../../shared/errors/message-of';

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
  outbox: {
    /** Rows retained in its outboxes (relayed or not; see OUTBOX_RETENTION_HOURS). */
    rows: number;
    /** Rows committed after the connector's last committed offset: not confirmed on Kafka yet. */
    backlog: number;
    /** Commit time of the last transaction the connector confirmed (its offset), ISO 8601. */
    relayedUpTo: string | null;
  };
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
  const status: RelayStatus = {
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
  try {
    const [connector, offsets, slot] = await Promise.all([
      connect.status(name),
      connect.offsets(name),
      readReplicationSlot(db, slotName),
    ]);
    status.state = connector.connector.state;
    status.tasks = connector.tasks.map((t) => ({
      id: t.id,
      state: t.state,
      ...(t.trace ? { trace: t.trace.split('\n').slice(0, 3).join('\n') } : {}),
    }));
    const offset = postgresSourceOffset(offsets);
    const health = assessSlot(slot, offset);
    status.slot = {
      name: slotName,
      health: health.kind,
      detail: health.kind === 'lost' ? health.detail : null,
      active: slot?.active ?? null,
      lagBytes: slot?.lagBytes ?? null,
      walStatus: slot?.walStatus ?? null,
    };
    status.services = outboxSchemasOf(name, config).filter((schema) => IDENTIFIER.test(schema));
    const since = offset?.committedAt ?? new Date(0);
    const counts = await Promise.all(
      status.services.map(async (schema) => {
        const result = await sql<{ rows: string; backlog: string }>`
          SELECT count(*)::text AS rows, count(*) FILTER (WHERE created_at > ${since})::text AS backlog
          FROM ${sql.table(`${schema}.outbox`)}`.execute(db);
        return { rows: Number(result.rows[0]?.rows ?? 0), backlog: Number(result.rows[0]?.backlog ?? 0) };
      }),
    );
    status.outbox = {
      rows: counts.reduce((sum, c) => sum + c.rows, 0),
      backlog: counts.reduce((sum, c) => sum + c.backlog, 0),
      relayedUpTo: offset?.committedAt?.toISOString() ?? null,
    };
  } catch (error) {
    status.error = messageOf(error);
  }
  return status;
}
