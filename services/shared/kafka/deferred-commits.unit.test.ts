import { DeferredCommits, type PartitionOffset } from './deferred-commits';

describe('deferred offset commits', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const setUp = (intervalMs: number, fail = false) => {
    const commits: PartitionOffset[][] = [];
    const errors: unknown[] = [];
    const committer = new DeferredCommits(
      async (offsets) => {
        commits.push(offsets);
        if (fail) throw new Error('the group has rebalanced');
      },
      intervalMs,
      (error) => errors.push(error),
    );
    return { commits, errors, committer };
  };

  it('commits the latest offset of each partition once per interval', async () => {
    const { commits, committer } = setUp(1_000);
    await committer.mark('t', 0, '5');
    await committer.mark('t', 0, '7');
    await committer.mark('t', 1, '3');
    expect(commits).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(commits).toEqual([
      [
        { topic: 't', partition: 0, offset: '7' },
        { topic: 't', partition: 1, offset: '3' },
      ],
    ]);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(commits).toHaveLength(1);
  });

  it('commits at once when flushed (before a stop), and at every mark with interval 0', async () => {
    const deferred = setUp(1_000);
    await deferred.committer.mark('t', 0, '9');
    await deferred.committer.flush();
    expect(deferred.commits).toEqual([[{ topic: 't', partition: 0, offset: '9' }]]);

    const immediate = setUp(0);
    await immediate.committer.mark('t', 2, '1');
    expect(immediate.commits).toEqual([[{ topic: 't', partition: 2, offset: '1' }]]);
  });

  it('once stopping, commits what is pending and then every mark at once', async () => {
    const { commits, committer } = setUp(1_000);
    await committer.mark('t', 0, '3');
    await committer.commitAtOnce();
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '3' }]]);
    // The message the stop lets finish is committed when marked, with no interval to wait for.
    await committer.mark('t', 0, '4');
    expect(commits).toEqual([
      [{ topic: 't', partition: 0, offset: '3' }],
      [{ topic: 't', partition: 0, offset: '4' }],
    ]);
  });

  it('reports a failed commit and goes on', async () => {
    const { commits, errors, committer } = setUp(0, true);
    await committer.mark('t', 0, '1');
    await committer.mark('t', 0, '2');
    expect(commits).toHaveLength(2);
    expect(errors).toHaveLength(2);
  });

  it('forgets what was marked when discarded', async () => {
    const { commits, committer } = setUp(1_000);
    await committer.mark('t', 0, '4');
    committer.discard();
    await jest.advanceTimersByTimeAsync(2_000);
    await committer.flush();
    expect(commits).toEqual([]);
  });
});
