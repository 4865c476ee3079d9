import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { parseLsn, type Lsn } from './lsn';

/**
 * A replication slot as pg_replication_slots shows it. Columns newer than the server
 * (PG 16's `conflicting`, PG 17's `invalidation_reason`) are simply absent.
 */
export interface ReplicationSlot {
  slot: string;
  plugin: string | null;
  database: string | null;
  active: boolean;
  activePid: number | null;
  /** Oldest WAL the slot needs; null once Postgres invalidated it. */
  restartLsn: Lsn | null;
  confirmedFlushLsn: Lsn | null;
  /** reserved / extended: WAL kept; unreserved: about to be lost; lost: WAL gone (PG 13+). */
  walStatus: 'reserved' | 'extended' | 'unreserved' | 'lost' | null;
  /** Bytes of WAL that may still be written before the slot is in danger (PG 13+). */
  safeWalSize: number | null;
  /** PG 16+: a logical slot invalidated by a recovery conflict on a standby. */
  conflicting?: boolean | null;
  /** PG 17+: why the slot was invalidated (wal_removed, rows_removed, …). */
  invalidationReason?: string | null;
  /** WAL bytes written since the slot's consumer last confirmed a position. */
  lagBytes: number;
}

const slotColumns = z.object({
  slot_name: z.string(),
  plugin: z.string().nullable(),
  database: z.string().nullable(),
  active: z.boolean(),
  active_pid: z.number().nullable(),
  restart_lsn: z.string().nullable(),
  confirmed_flush_lsn: z.string().nullable(),
  wal_status: z.enum(['reserved', 'extended', 'unreserved', 'lost']).nullable().optional(),
  safe_wal_size: z.number().nullable().optional(),
  conflicting: z.boolean().nullable().optional(),
  invalidation_reason: z.string().nullable().optional(),
});

/**
 * Reads one slot. The row goes through to_jsonb so one query serves every Postgres
 * version: columns the server lacks are missing from the JSON, not an SQL error.
 */
export async function readReplicationSlot(
  db: Kysely<unknown>,
  slot: string,
): Promise<ReplicationSlot | undefined> {
  const result = await sql<{ slot: unknown; lag: string | null }>`
    SELECT to_jsonb(s) AS slot,
           pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::text AS lag
    FROM pg_replication_slots s WHERE s.slot_name = ${slot}`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  const s = slotColumns.parse(row.slot);
  return {
    slot: s.slot_name,
    plugin: s.plugin,
    database: s.database,
    active: s.active,
    activePid: s.active_pid,
    restartLsn: s.restart_lsn === null ? null : parseLsn(s.restart_lsn),
    confirmedFlushLsn: s.confirmed_flush_lsn === null ? null : parseLsn(s.confirmed_flush_lsn),
    walStatus: s.wal_status ?? null,
    safeWalSize: s.safe_wal_size ?? null,
    ...(s.conflicting === undefined ? {} : { conflicting: s.conflicting }),
    ...(s.invalidation_reason === undefined ? {} : { invalidationReason: s.invalidation_reason }),
    lagBytes: Number(row.lag ?? 0),
  };
}

/**
 * Creates a logical slot and returns its consistent point: every transaction that
 * commits after it is decoded from this slot; every one committed before is visible to
 * any query that starts after this call returns.
 */
export async function createLogicalSlot(db: Kysely<unknown>, slot: string, plugin: string): Promise<Lsn> {
  const result = await sql<{ lsn: string }>`
    SELECT lsn::text AS lsn FROM pg_create_logical_replication_slot(${slot}, ${plugin})`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error(`pg_create_logical_replication_slot(${slot}) returned nothing`);
  return parseLsn(row.lsn);
}

/**
 * Drops a slot once no walsender holds it (a stopped connector's walsender can take a
 * moment to exit). Gives up after `timeoutMs`, naming the process that still holds it.
 */
export async function dropSlotWhenInactive(
  db: Kysely<unknown>,
  slot: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await readReplicationSlot(db, slot);
    if (!current) return;
    if (!current.active) {
      await sql`SELECT pg_drop_replication_slot(${slot})`.execute(db);
      return;
    }
    if (Date.now() > deadline)
      throw new Error(
        `slot ${slot} is still held by process ${current.activePid ?? '?'} after ${timeoutMs / 1000} s; is another consumer using it?`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
