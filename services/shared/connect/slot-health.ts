import type { PostgresSourceOffset } from './debezium-offset';
import { formatLsn } from './lsn';
import type { ReplicationSlot } from './replication-slot';

/** Why the slot can no longer give the connector every change after its offset. */
export type SlotLoss =
  /** Postgres invalidated it (max_slot_wal_keep_size exceeded, or a recovery conflict). */
  | 'invalidated'
  /** There is no slot, yet the connector has an offset to resume from. */
  | 'dropped'
  /** A slot exists but starts after the connector's offset (it was dropped and created again). */
  | 'recreated';

export type SlotHealth =
  | { kind: 'not-created' }
  | { kind: 'healthy'; slot: ReplicationSlot; atRisk: boolean }
  | { kind: 'lost'; loss: SlotLoss; detail: string; slot?: ReplicationSlot };

/**
 * Can the connector resume from its offset with the slot as it is? The rule is Debezium's
 * own start-up check: a slot must exist, be valid and have a restart_lsn at or before the
 * offset's position; otherwise the changes in between are gone from the WAL.
 */
export function assessSlot(
  slot: ReplicationSlot | undefined,
  offset: PostgresSourceOffset | undefined,
): SlotHealth {
  if (slot) {
    const invalidation = invalidationOf(slot);
    if (invalidation) return { kind: 'lost', loss: 'invalidated', detail: invalidation, slot };
    const position = offset?.position;
    if (position !== undefined && slot.restartLsn !== null && slot.restartLsn > position) {
      return {
        kind: 'lost',
        loss: 'recreated',
        detail: `recreated after the connector's offset: restart_lsn ${formatLsn(slot.restartLsn)} is past offset ${formatLsn(position)}`,
        slot,
      };
    }
    return { kind: 'healthy', slot, atRisk: slot.walStatus === 'unreserved' };
  }
  if (!offset) return { kind: 'not-created' };
  return {
    kind: 'lost',
    loss: 'dropped',
    detail:
      offset.position === undefined
        ? 'no such slot, but the connector has an offset to resume from'
        : `no such slot, but the connector's offset is at ${formatLsn(offset.position)}`,
  };
}

function invalidationOf(slot: ReplicationSlot): string | undefined {
  if (slot.invalidationReason) return `invalidated: ${slot.invalidationReason}`;
  if (slot.walStatus === 'lost') return 'WAL removed: wal_status lost, max_slot_wal_keep_size was exceeded';
  if (slot.conflicting) return 'invalidated by a recovery conflict (conflicting)';
  return undefined;
}

/** The lines `status` prints for a connector's slot, plain enough to act on. */
export function describeSlotHealth(
  connector: string,
  slotName: string,
  health: SlotHealth,
  lagWarnBytes: number,
): { lines: string[]; severity: 'ok' | 'warning' | 'lost' } {
  switch (health.kind) {
    case 'not-created':
      return {
        lines: [`${connector}: replication slot ${slotName} does not exist (yet)`],
        severity: 'ok',
      };
    case 'lost':
      return {
        lines: [
          `${connector}: slot ${slotName} is LOST (${health.detail}): run \`npm run connectors -- recover ${connector}\``,
        ],
        severity: 'lost',
      };
    case 'healthy': {
      const { slot } = health;
      const mib = (slot.lagBytes / 1024 ** 2).toFixed(1);
      const lines = [
        `${connector}: slot ${slotName} ${slot.active ? 'active' : 'INACTIVE'}, ${slot.lagBytes} bytes (${mib} MiB) behind the WAL; wal_status ${slot.walStatus ?? 'unknown'}`,
      ];
      let severity: 'ok' | 'warning' = 'ok';
      if (health.atRisk) {
        lines.push(
          `${connector}: WARNING slot ${slotName} is about to lose WAL (wal_status unreserved, safe_wal_size ${slot.safeWalSize ?? '?'}): the connector must catch up now, or \`recover\` will be needed`,
        );
        severity = 'warning';
      }
      if (slot.lagBytes > lagWarnBytes) {
        lines.push(
          `${connector}: WARNING slot lag exceeds ${lagWarnBytes} bytes: Postgres is retaining WAL for it; check the connector, or drop the slot if the connector is gone for good`,
        );
        severity = 'warning';
      }
      return { lines, severity };
    }
  }
}
