import { offsetAtSlotStart, postgresSourceOffset } from './debezium-offset';

const partition = { server: 'deedstream.property' };

describe('Debezium Postgres source offset', () => {
  it('resumes from lsn_proc and dates the loss by ts_usec (microseconds of the last commit)', () => {
    const offset = postgresSourceOffset({
      offsets: [
        {
          partition,
          offset: {
            lsn_proc: 45450240,
            messageType: 'COMMIT',
            lsn_commit: 45450240,
            lsn: 45450100,
            txId: 12363,
            ts_usec: 1796090697030344,
          },
        },
      ],
    });
    expect(offset?.position).toBe(45450240n);
    expect(offset?.committedAt?.toISOString()).toBe(new Date(1796090697030).toISOString());
    expect(offset?.partition).toEqual(partition);
  });

  it('falls back to lsn right after a snapshot, and has no time without ts_usec', () => {
    const offset = postgresSourceOffset({
      offsets: [{ partition, offset: { lsn: 1000, snapshot: 'INITIAL' } }],
    });
    expect(offset?.position).toBe(1000n);
    expect(offset?.committedAt).toBeUndefined();
  });

  it('is undefined for a connector that never committed an offset', () => {
    expect(postgresSourceOffset({ offsets: [] })).toBeUndefined();
    expect(postgresSourceOffset({ offsets: [{ partition, offset: null }] })).toBeUndefined();
  });

  it('names a malformed offset', () => {
    expect(() => postgresSourceOffset({ offsets: [{ partition, offset: { lsn: 'soon' } }] })).toThrow(
      /unexpected Debezium offset .*lsn/,
    );
  });

  it('points a new offset at the slot: lsn and ts_usec only, the shape Debezium commits after a snapshot', () => {
    const at = new Date('2026-12-01T10:00:00.123Z');
    expect(offsetAtSlotStart(partition, 0x2c00000n, at)).toEqual({
      offsets: [{ partition, offset: { lsn: 0x2c00000, ts_usec: at.getTime() * 1000 } }],
    });
  });
});
