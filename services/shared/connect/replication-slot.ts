import { sql, type Kysely } from 'kysely';

export interface SlotLag {
  slot: string;
  active: boolean;
  /** WAL bytes the slot's consumer has not confirmed: Postgres must keep them on disk. */
  lagBytes: number;
}

/** How far a replication slot trails the current WAL position. */
export async function replicationSlotLag(db: Kysely<unknown>, slot: string): Promise<SlotLag | undefined> {
  const result = await sql<{ slot_name: string; active: boolean; lag: string | null }>`
    SELECT slot_name, active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text AS lag
    FROM pg_replication_slots WHERE slot_name = ${slot}`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  return { slot: row.slot_name, active: row.active, lagBytes: Number(row.lag ?? 0) };
}
