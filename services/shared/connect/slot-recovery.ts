import type { Kafka } from 'kafkajs';
import type { Kysely } from 'kysely';
import type { AvroEventCodec } from '../codec/avro-event-codec';
import type { EventStoreTables } from '../event-store/tables';
import { relayedIdsSince } from '../kafka/relayed-ids';
import { ConnectError, type ConnectClient, type ConnectorState } from './connect-client';
import { waitForRunning, waitForState } from './connector-deployment';
import type { ConnectorDefinition } from './connector-file';
import { offsetAtSlotStart, postgresSourceOffset } from './debezium-offset';
import { formatLsn, type Lsn } from './lsn';
import { outboxRecordFormat, type OutboxRecordFormat } from './outbox-record-format';
import { createLogicalSlot, dropSlotWhenInactive, readReplicationSlot } from './replication-slot';
import {
  eventStreamTypesSince,
  outboxRouteValuesSince,
  RecordPublisher,
  republishEvents,
  republishOutboxRows,
  type RepublishCounts,
} from './republish';
import { assessSlot, type SlotHealth } from './slot-health';
import { messageOf } from '../errors/message-of';

export interface SlotRecoveryDeps {
  connect: ConnectClient;
  /** The database the connector reads (no schema bound: the outbox schema comes from the config). */
  db: Kysely<EventStoreTables>;
  kafka: Kafka;
  /** The Avro codec of a schema's events (event-sourced services), undefined if it has none. */
  eventCodecFor(schema: string): Promise<AvroEventCodec | undefined>;
  /** Progress, one line at a time. */
  log(line: string): void;
}

export interface SlotRecoveryOptions {
  /** The point of loss, if the operator knows better than the connector's last offset. */
  since?: Date;
  /** Republish from this long before the point of loss: covers long transactions and clock skew. */
  marginMs: number;
  /** Outbox rows older than this are deleted by housekeeping: a loss before it cannot be fully repaired. */
  retentionHours: number;
  timeoutMs: number;
}

export interface SlotRecoveryReport {
  connector: string;
  slot: string;
  before: SlotHealth;
  recovered: boolean;
  /** Everything stored from here on was compared with Kafka and republished if missing. */
  republishedSince?: Date;
  newSlotLsn?: Lsn;
  counts: RepublishCounts;
  state?: ConnectorState;
  durationMs: number;
}

/**
 * Makes a connector whole again after its replication slot was dropped or invalidated:
 *
 * 1. stop the connector (Connect's stop API), so nothing reaches Kafka behind our back;
 * 2. drop the unusable slot and create it again: every transaction committed after that
 *    is in the new slot, every one committed before is visible to the reads that follow;
 * 3. republish what Kafka lacks, straight to Kafka and before the connector resumes:
 *    events from the events table (event-sourced services), retained outbox rows for all
 *    other messages — everything stored since the point of loss minus a margin whose id
 *    is not already on its topic. Publishing ahead of the resumed relay keeps each
 *    aggregate's versions in order (projections refuse a gap); outbox rows re-inserted
 *    now would land behind newer events already in the new slot;
 * 4. point the connector's offset at the new slot (no snapshot, no WAL search);
 * 5. resume, and wait until it is RUNNING with the slot active.
 *
 * A failure before step 4 leaves the old offset, so running it again starts over from the
 * same point of loss. Duplicates are possible (consumers deduplicate); omissions are not,
 * as long as the outbox rows are still retained.
 */
export async function recoverSlot(
  deps: SlotRecoveryDeps,
  definition: ConnectorDefinition,
  options: SlotRecoveryOptions,
): Promise<SlotRecoveryReport> {
  const started = Date.now();
  const { name, config } = definition;
  const slot = config['slot.name'];
  if (!slot) throw new Error(`${name}: not a Debezium Postgres connector (no slot.name)`);
  const schemas = outboxSchemasOf(name, config);
  const format = outboxRecordFormat(config);
  const { db, connect, log } = deps;
  const adminDb = db as unknown as Kysely<unknown>;

  const offset = postgresSourceOffset(await connect.offsets(name));
  const before = assessSlot(await readReplicationSlot(adminDb, slot), offset);
  const report: SlotRecoveryReport = {
    connector: name,
    slot,
    before,
    recovered: false,
    counts: { events: 0, streams: 0, messages: 0 },
    durationMs: 0,
  };
  if (before.kind !== 'lost' && !options.since) {
    const state = (await connect.status(name)).connector.state;
    log(
      `${name}: nothing to recover: slot ${slot} ${before.kind === 'healthy' ? 'is healthy' : 'does not exist yet and the connector has no offset'}; connector ${state}${state === 'STOPPED' || state === 'PAUSED' ? ` (resume it with \`npm run connectors -- resume ${name}\`)` : ''}`,
    );
    return { ...report, state, durationMs: Date.now() - started };
  }

  const lossPoint = options.since ?? offset?.committedAt;
  const since = new Date(lossPoint ? lossPoint.getTime() - options.marginMs : 0);
  if (before.kind === 'lost') log(`${name}: slot ${slot} is LOST (${before.detail})`);
  log(
    lossPoint
      ? `${name}: point of loss ${lossPoint.toISOString()} (${options.since ? '--since' : "the connector's last committed offset"}); comparing everything stored since ${since.toISOString()} with Kafka`
      : `${name}: the connector never committed an offset: comparing everything stored with Kafka`,
  );
  if (lossPoint && Date.now() - lossPoint.getTime() > options.retentionHours * 3_600_000)
    log(
      `${name}: WARNING the loss is older than OUTBOX_RETENTION_HOURS (${options.retentionHours} h): outbox rows deleted by housekeeping cannot be republished (events can)`,
    );

  await connect.stop(name);
  await waitForState(connect, name, 'STOPPED', options.timeoutMs);
  log(`${name}: connector STOPPED`);

  let newSlot: { lsn: Lsn; at: Date } | undefined;
  try {
    if (before.kind === 'lost') {
      await dropSlotWhenInactive(adminDb, slot, options.timeoutMs);
      const at = new Date();
      newSlot = { lsn: await createLogicalSlot(adminDb, slot, config['plugin.name'] ?? 'decoderbufs'), at };
      log(`${name}: slot ${slot} created again at ${formatLsn(newSlot.lsn)}`);
    }
    for (const schema of schemas) {
      const counts = await republishSince(deps, schema, format, since);
      log(
        `${name}: republished ${counts.events} events of ${counts.streams} streams from ${schema}.events table and ${counts.messages} retained outbox messages`,
      );
      report.counts = {
        events: report.counts.events + counts.events,
        streams: report.counts.streams + counts.streams,
        messages: report.counts.messages + counts.messages,
      };
    }
    if (newSlot) {
      await connect.alterOffsets(
        name,
        offsetAtSlotStart(offset?.partition ?? { server: config['topic.prefix'] }, newSlot.lsn, newSlot.at),
      );
      // A task that was still shutting down must not have committed its old offset over ours.
      const stored = postgresSourceOffset(await connect.offsets(name));
      if (stored?.position !== newSlot.lsn)
        throw new Error(
          `the offset did not move to the new slot (it is at ${stored?.position === undefined ? 'nothing' : formatLsn(stored.position)})`,
        );
      log(
        `${name}: offset moved to the new slot (lsn ${formatLsn(newSlot.lsn)}): no snapshot, no WAL search`,
      );
    }
  } catch (error) {
    throw new ConnectError(
      `${name}: recovery failed, connector left STOPPED: ${messageOf(error)}; fix the cause and run \`npm run connectors -- recover ${name}\` again (it starts over from the same point of loss)`,
    );
  }

  try {
    await connect.resume(name);
    const status = await waitForRunning(connect, name, options.timeoutMs);
    await waitForActiveSlot(adminDb, slot, options.timeoutMs);
    report.state = status.connector.state;
  } catch (error) {
    throw new ConnectError(
      `${name}: everything was republished${newSlot ? ' and the offset moved to the new slot' : ''}, but the connector did not come back: ${messageOf(error)}`,
    );
  }
  const durationMs = Date.now() - started;
  log(`${name}: connector RUNNING, slot ${slot} active; recovery took ${(durationMs / 1000).toFixed(1)} s`);
  return {
    ...report,
    recovered: true,
    republishedSince: since,
    ...(newSlot ? { newSlotLsn: newSlot.lsn } : {}),
    durationMs,
  };
}

async function republishSince(
  deps: SlotRecoveryDeps,
  schema: string,
  format: OutboxRecordFormat,
  since: Date,
): Promise<RepublishCounts> {
  const db = deps.db.withSchema(schema);
  const tables = await deps.db.introspection.getTables();
  const eventSourced = tables.some((t) => t.schema === schema && t.name === 'events');
  const codec = eventSourced ? await deps.eventCodecFor(schema) : undefined;
  if (eventSourced && !codec)
    throw new Error(`${schema}.events exists, but no Avro schemas are known for its events`);

  const routes = [
    ...(eventSourced ? await eventStreamTypesSince(db, since) : []),
    ...(await outboxRouteValuesSince(db, since, eventSourced)),
  ];
  const topics = [...new Set(routes.map((r) => format.topicFor(r)))].sort();
  const relayed = await relayedIdsSince(deps.kafka, topics, since);
  deps.log(
    `${schema}: ${relayed.size} messages on ${topics.join(', ') || '(no topic)'} since ${since.toISOString()}`,
  );

  const publisher = new RecordPublisher(deps.kafka);
  await publisher.connect();
  try {
    const events = codec
      ? await republishEvents(db, codec, format, publisher, since, relayed)
      : { events: 0, streams: 0 };
    const messages = await republishOutboxRows(db, format, publisher, since, relayed, eventSourced);
    return { ...events, messages };
  } finally {
    await publisher.disconnect();
  }
}

/** The schemas whose `<schema>.outbox` the connector captures (one relay per database may read several). */
export function outboxSchemasOf(name: string, config: Readonly<Record<string, string>>): string[] {
  const schemas = (config['table.include.list'] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => /^[a-z_][a-z0-9_]*\.outbox$/.test(t))
    .map((t) => t.slice(0, -'.outbox'.length));
  if (schemas.length === 0) throw new Error(`${name}: table.include.list names no <schema>.outbox table`);
  return schemas;
}

async function waitForActiveSlot(db: Kysely<unknown>, slot: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await readReplicationSlot(db, slot))?.active) {
    if (Date.now() > deadline) throw new Error(`slot ${slot} not active after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
