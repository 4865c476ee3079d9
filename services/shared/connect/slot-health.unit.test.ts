import type { PostgresSourceOffset } from './debezium-offset';
import type { ReplicationSlot } from './replication-slot';
import { assessSlot, describeSlotHealth } from './slot-health';

/** A healthy slot as PG 15 reports it. */
const slot = (overrides: Partial<ReplicationSlot> = {}): ReplicationSlot => ({
  slot: 'deedstream_property_outbox',
  plugin: 'pgoutput',
  database: 'deedstream',
  active: true,
  activePid: 8034,
  restartLsn: 0x2b04250n,
  confirmedFlushLsn: 0x2b58700n,
  walStatus: 'reserved',
  safeWalSize: 4299841536,
  lagBytes: 1024,
  ...overrides,
});
const offset = (position: bigint | undefined): PostgresSourceOffset => ({
  partition: { server: 'deedstream.property' },
  position,
  committedAt: new Date('2026-12-01T02:00:00Z'),
  raw: {},
});
const describe1 = (health: ReturnType<typeof assessSlot>) =>
  describeSlotHealth('property-outbox', 'deedstream_property_outbox', health, 1024 ** 3);

describe('replication slot health', () => {
  it('is healthy when the slot is valid and starts at or before the offset', () => {
    const health = assessSlot(slot(), offset(0x2b58700n));
    expect(health).toMatchObject({ kind: 'healthy', atRisk: false });
    expect(describe1(health)).toEqual({
      lines: [
        'property-outbox: slot deedstream_property_outbox active, 1024 bytes (0.0 MiB) behind the WAL; wal_status reserved',
      ],
      severity: 'ok',
    });
    expect(assessSlot(slot(), undefined).kind).toBe('healthy');
  });

  it('is LOST when Postgres removed its WAL (PG 15: wal_status lost, restart_lsn null)', () => {
    const health = assessSlot(
      slot({ active: false, activePid: null, walStatus: 'lost', restartLsn: null, safeWalSize: null }),
      offset(0x2b58700n),
    );
    expect(health).toMatchObject({ kind: 'lost', loss: 'invalidated' });
    expect(describe1(health)).toEqual({
      lines: [
        'property-outbox: slot deedstream_property_outbox is LOST (WAL removed: wal_status lost, max_slot_wal_keep_size was exceeded): run `npm run connectors -- recover property-outbox`',
      ],
      severity: 'lost',
    });
  });

  it("names PG 17's invalidation_reason and PG 16's conflicting", () => {
    expect(assessSlot(slot({ invalidationReason: 'rows_removed' }), undefined)).toMatchObject({
      kind: 'lost',
      detail: 'invalidated: rows_removed',
    });
    expect(assessSlot(slot({ conflicting: true }), undefined)).toMatchObject({
      kind: 'lost',
      loss: 'invalidated',
    });
    expect(assessSlot(slot({ conflicting: false, invalidationReason: null }), undefined).kind).toBe(
      'healthy',
    );
  });

  it('is LOST when the slot is gone but the connector has an offset to resume from', () => {
    const health = assessSlot(undefined, offset(0x2b58700n));
    expect(health).toMatchObject({ kind: 'lost', loss: 'dropped' });
    expect(describe1(health).lines[0]).toBe(
      "property-outbox: slot deedstream_property_outbox is LOST (no such slot, but the connector's offset is at 0/2B58700): run `npm run connectors -- recover property-outbox`",
    );
  });

  it('is LOST when a new slot starts after the offset (Debezium refuses to start: the changes in between are gone)', () => {
    const health = assessSlot(slot({ restartLsn: 0x3000000n }), offset(0x2b58700n));
    expect(health).toMatchObject({
      kind: 'lost',
      loss: 'recreated',
      detail: "recreated after the connector's offset: restart_lsn 0/3000000 is past offset 0/2B58700",
    });
  });

  it('is not created yet for a connector that never ran', () => {
    const health = assessSlot(undefined, undefined);
    expect(health).toEqual({ kind: 'not-created' });
    expect(describe1(health)).toEqual({
      lines: ['property-outbox: replication slot deedstream_property_outbox does not exist (yet)'],
      severity: 'ok',
    });
  });

  it('warns when WAL is about to be removed (unreserved) or the lag exceeds the limit', () => {
    const atRisk = describe1(assessSlot(slot({ walStatus: 'unreserved', safeWalSize: -5 }), undefined));
    expect(atRisk.severity).toBe('warning');
    expect(atRisk.lines[1]).toMatch(/WARNING slot deedstream_property_outbox is about to lose WAL/);
    const lagging = describeSlotHealth(
      'property-outbox',
      'deedstream_property_outbox',
      assessSlot(slot({ lagBytes: 2048 }), undefined),
      1024,
    );
    expect(lagging.severity).toBe('warning');
    expect(lagging.lines[1]).toContain('WARNING slot lag exceeds 1024 bytes');
  });
});
