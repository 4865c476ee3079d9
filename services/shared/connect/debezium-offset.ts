import { z } from 'zod';
import type { ConnectorOffsets } from './connect-client';
import type { Lsn } from './lsn';

/**
 * What a Debezium Postgres connector commits as its source offset (one per connector,
 * partition `{"server": <topic.prefix>}`): `lsn` of the last change it handled, `lsn_proc`
 * (last change completely processed) and `lsn_commit` (last transaction commit) once it
 * streams, `txId`, and `ts_usec`, the commit time of that transaction in microseconds.
 * Other keys (snapshot flags, transaction context) are kept as they are.
 */
const offsetFields = z.looseObject({
  lsn: z.number().int().nonnegative().optional(),
  lsn_proc: z.number().int().nonnegative().optional(),
  lsn_commit: z.number().int().nonnegative().optional(),
  txId: z.number().int().optional(),
  ts_usec: z.number().int().nonnegative().optional(),
});

export interface PostgresSourceOffset {
  partition: Record<string, unknown>;
  /** Where streaming resumes: the last completely processed change, else the last change seen. */
  position: Lsn | undefined;
  /** Commit time of the last transaction relayed; everything committed later may not be on Kafka. */
  committedAt: Date | undefined;
  raw: Record<string, unknown>;
}

/** The connector's one committed source offset, or undefined when it never committed one. */
export function postgresSourceOffset(offsets: ConnectorOffsets): PostgresSourceOffset | undefined {
  const entry = offsets.offsets.find((o) => o.offset !== null);
  if (!entry?.offset) return undefined;
  const parsed = offsetFields.safeParse(entry.offset);
  if (!parsed.success) {
    throw new Error(
      `unexpected Debezium offset ${JSON.stringify(entry.offset)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const { lsn, lsn_proc, ts_usec } = parsed.data;
  const position = lsn_proc ?? lsn;
  return {
    partition: entry.partition,
    position: position === undefined ? undefined : BigInt(position),
    // 0 is what Debezium assumes when the key is missing: no usable time.
    committedAt: ts_usec ? new Date(Math.floor(ts_usec / 1000)) : undefined,
    raw: entry.offset,
  };
}

/**
 * The offset that makes Debezium stream from a freshly created slot: only `lsn` (the
 * slot's consistent point) and `ts_usec`, the shape Debezium itself commits right after a
 * snapshot. With an offset present, `snapshot.mode=initial` takes no snapshot; without
 * `lsn_proc` it does not search the WAL for an earlier position, and the slot's
 * restart_lsn is at or before `lsn`, so its own log-position check passes.
 */
export function offsetAtSlotStart(
  partition: Record<string, unknown>,
  slotLsn: Lsn,
  at: Date,
): ConnectorOffsets {
  if (slotLsn > BigInt(Number.MAX_SAFE_INTEGER))
    throw new Error(`LSN ${slotLsn} is beyond what a JSON number carries exactly`);
  return {
    offsets: [{ partition, offset: { lsn: Number(slotLsn), ts_usec: at.getTime() * 1000 } }],
  };
}
