import type { Kafka } from 'kafkajs';
import type { Kysely } from 'kysely';
import type { AvroEventCodec } from '../codec/avro-event-codec';
import type { EventStoreTables } from '../event-store/tables';
import { relayedIdsSince } from '../kafka/relayed-ids';
import { ConnectError, type ConnectClient, type ConnectorState } from './connect-client';
import { waitForRunning, waitForState } from './connector-deployment';
import type { ConnectorDefinition } from './connector-file';
import { offsetAtSlotStart, postgresSourceOffset, type PostgresSourceOffset } from './debezium-offset';
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
  const recovery: Recovery = {
    deps,
    adminDb: deps.db as unknown as Kysely<unknown>,
    name,
    config,
    slot,
    schemas: outboxSchemasOf(name, config),
    format: outboxRecordFormat(config),
    options,
  };
  const offset = postgresSourceOffset(await deps.connect.offsets(name));
  const before = assessSlot(await readReplicationSlot(recovery.adminDb, slot), offset);
  const report: SlotRecoveryReport = {
    connector: name,
    slot,
    before,
    recovered: false,
    counts: { events: 0, streams: 0, messages: 0 },
    durationMs: 0,
  };
  if (before.kind !== 'lost' && !options.since) {
    const state = await nothingToRecover(recovery, before);
    return { ...report, state, durationMs: Date.now() - started };
  }

  const since = republishFrom(recovery, before, offset);
  await stopConnector(recovery);
  const { newSlot, counts } = await repairWhileStopped(recovery, before, offset, since);
  const state = await resumeConnector(recovery, newSlot);
  const durationMs = Date.now() - started;
  deps.log(
    `${name}: connector RUNNING, slot ${slot} active; recovery took ${(durationMs / 1000).toFixed(1)} s`,
  );
  return {
    ...report,
    counts,
    state,
    recovered: true,
    republishedSince: since,
    ...(newSlot ? { newSlotLsn: newSlot.lsn } : {}),
    durationMs,
  };
}

/** One connector's recovery: the connector, its slot and outboxes, and what it works with. */
interface Recovery {
  deps: SlotRecoveryDeps;
  /** deps.db, for the replication slot functions (which read no tables of a schema). */
  adminDb: Kysely<unknown>;
  name: string;
  config: Readonly<Record<string, string>>;
  slot: string;
  /** The schemas whose outboxes (and events, if event-sourced) are republished. */
  schemas: string[];
  format: OutboxRecordFormat;
  options: SlotRecoveryOptions;
}

/** The slot created again, and when: the connector's offset is moved to its start. */
interface NewSlot {
  lsn: Lsn;
  at: Date;
}

/** A healthy slot (or none yet, with no offset) and no --since: says so, and how to resume a halted connector. */
async function nothingToRecover({ deps, name, slot }: Recovery, before: SlotHealth): Promise<ConnectorState> {
  const state = (await deps.connect.status(name)).connector.state;
  deps.log(
    `${name}: nothing to recover: slot ${slot} ${before.kind === 'healthy' ? 'is healthy' : 'does not exist yet and the connector has no offset'}; connector ${state}${state === 'STOPPED' || state === 'PAUSED' ? ` (resume it with \`npm run connectors -- resume ${name}\`)` : ''}`,
  );
  return state;
}

/**
 * Where republishing starts: the point of loss (--since, else the connector's last
 * committed offset, else the beginning) minus the margin. Says why, and warns when the
 * loss is older than the outbox keeps its rows.
 */
function republishFrom(
  { deps, name, slot, options }: Recovery,
  before: SlotHealth,
  offset: PostgresSourceOffset | undefined,
): Date {
  const lossPoint = options.since ?? offset?.committedAt;
  const since = new Date(lossPoint ? lossPoint.getTime() - options.marginMs : 0);
  if (before.kind === 'lost') deps.log(`${name}: slot ${slot} is LOST (${before.detail})`);
  deps.log(
    lossPoint
      ? `${name}: point of loss ${lossPoint.toISOString()} (${options.since ? '--since' : "the connector's last committed offset"}); comparing everything stored since ${since.toISOString()} with Kafka`
      : `${name}: the connector never committed an offset: comparing everything stored with Kafka`,
  );
  if (lossPoint && Date.now() - lossPoint.getTime() > options.retentionHours * 3_600_000)
    deps.log(
      `${name}: WARNING the loss is older than OUTBOX_RETENTION_HOURS (${options.retentionHours} h): outbox rows deleted by housekeeping cannot be republished (events can)`,
    );
  return since;
}

/** Step 1: nothing reaches Kafka behind the recovery's back. */
async function stopConnector({ deps, name, options }: Recovery): Promise<void> {
  await deps.connect.stop(name);
  await waitForState(deps.connect, name, 'STOPPED', options.timeoutMs);
  deps.log(`${name}: connector STOPPED`);
}

/**
 * Steps 2 to 4, while the connector is stopped: a lost slot created again, what Kafka lacks
 * republished, the offset moved to the new slot. A failure leaves the connector stopped at
 * its old offset, so that running the recovery again starts over from the same point.
 */
async function repairWhileStopped(
  recovery: Recovery,
  before: SlotHealth,
  offset: PostgresSourceOffset | undefined,
  since: Date,
): Promise<{ newSlot: NewSlot | undefined; counts: RepublishCounts }> {
  const { name } = recovery;
  try {
    const newSlot = before.kind === 'lost' ? await recreateSlot(recovery) : undefined;
    const counts = await republishAll(recovery, since);
    if (newSlot) await moveOffsetToSlot(recovery, offset, newSlot);
    return { newSlot, counts };
  } catch (error) {
    throw new ConnectError(
      `${name}: recovery failed, connector left STOPPED: ${messageOf(error)}; fix the cause and run \`npm run connectors -- recover ${name}\` again (it starts over from the same point of loss)`,
    );
  }
}

/** Step 2: every transaction committed after this is in the new slot, every one before is visible to the reads that follow. */
async function recreateSlot({ deps, adminDb, name, config, slot, options }: Recovery): Promise<NewSlot> {
  await dropSlotWhenInactive(adminDb, slot, options.timeoutMs);
  const at = new Date();
  const newSlot = { lsn: await createLogicalSlot(adminDb, slot, config['plugin.name'] ?? 'decoderbufs'), at };
  deps.log(`${name}: slot ${slot} created again at ${formatLsn(newSlot.lsn)}`);
  return newSlot;
}

/** Step 3, schema by schema: what Kafka lacks of everything stored since `since`. */
async function republishAll(
  { deps, name, schemas, format }: Recovery,
  since: Date,
): Promise<RepublishCounts> {
  const total: RepublishCounts = { events: 0, streams: 0, messages: 0 };
  for (const schema of schemas) {
    const counts = await republishSince(deps, schema, format, since);
    deps.log(
      `${name}: republished ${counts.events} events of ${counts.streams} streams from ${schema}.events table and ${counts.messages} retained outbox messages`,
    );
    total.events += counts.events;
    total.streams += counts.streams;
    total.messages += counts.messages;
  }
  return total;
}

/** Step 4: the connector resumes at the new slot's start: no snapshot, no WAL search. */
async function moveOffsetToSlot(
  { deps, name, config }: Recovery,
  offset: PostgresSourceOffset | undefined,
  newSlot: NewSlot,
): Promise<void> {
  await deps.connect.alterOffsets(
    name,
    offsetAtSlotStart(offset?.partition ?? { server: config['topic.prefix'] }, newSlot.lsn, newSlot.at),
  );
  // A task that was still shutting down must not have committed its old offset over ours.
  const stored = postgresSourceOffset(await deps.connect.offsets(name));
  if (stored?.position !== newSlot.lsn)
    throw new Error(
      `the offset did not move to the new slot (it is at ${stored?.position === undefined ? 'nothing' : formatLsn(stored.position)})`,
    );
  deps.log(
    `${name}: offset moved to the new slot (lsn ${formatLsn(newSlot.lsn)}): no snapshot, no WAL search`,
  );
}

/** Step 5: resumes and waits until the connector is RUNNING with its slot active. */
async function resumeConnector(
  { deps, adminDb, name, slot, options }: Recovery,
  newSlot: NewSlot | undefined,
): Promise<ConnectorState> {
  try {
    await deps.connect.resume(name);
    const status = await waitForRunning(deps.connect, name, options.timeoutMs);
    await waitForActiveSlot(adminDb, slot, options.timeoutMs);
    return status.connector.state;
  } catch (error) {
    throw new ConnectError(
      `${name}: everything was republished${newSlot ? ' and the offset moved to the new slot' : ''}, but the connector did not come back: ${messageOf(error)}`,
    );
  }
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
