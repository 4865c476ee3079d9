import { RestartBackoff } from './restart-backoff';

describe('restart backoff', () => {
  it('doubles while a process keeps dying quickly, up to the cap', () => {
    const backoff = new RestartBackoff(1_000, 8_000, 60_000);
    expect([1, 2, 3, 4, 5].map(() => backoff.next(500))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(backoff.crashesInARow).toBe(5);
  });

  it('starts over after a run that lasted long enough to be called stable', () => {
    const backoff = new RestartBackoff(1_000, 30_000, 60_000);
    backoff.next(100);
    backoff.next(100);
    expect(backoff.next(61_000)).toBe(1_000);
    expect(backoff.crashesInARow).toBe(1);
  });
});
