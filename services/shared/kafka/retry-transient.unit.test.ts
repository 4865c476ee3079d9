import { KafkaJSProtocolError } from 'kafkajs';
import { retryTransient, type RetryHooks, type Stall, type StallEnd } from './retry-transient';
import { TransientError } from '../errors/transient';

// Tiny backoffs: the retry loop's own waits are a few milliseconds, the tests wait on outcomes.
const quick = { initialMs: 1, maxMs: 2 };

/** Hooks that record what retryTransient reported. */
function recordingHooks(isRunning: () => boolean = () => true) {
  const retries: number[] = [];
  const stuck: Stall[] = [];
  const ended: Array<{ stall: Stall; end: StallEnd }> = [];
  const hooks: RetryHooks = {
    isRunning,
    heartbeat: async () => undefined,
    onRetry: (_error, attempt) => retries.push(attempt),
    onStuck: (stall) => stuck.push({ ...stall }),
    onStuckEnded: (stall, end) => ended.push({ stall: { ...stall }, end }),
  };
  return { hooks, retries, stuck, ended };
}

describe('retryTransient', () => {
  it('retries transient failures until the work succeeds', async () => {
    const { hooks, retries, stuck } = recordingHooks();
    let calls = 0;
    await retryTransient(
      async () => {
        calls += 1;
        if (calls <= 3) throw new TransientError(`blip ${calls}`);
      },
      quick,
      hooks,
    );
    expect(calls).toBe(4);
    expect(retries).toEqual([0, 1, 2]);
    expect(stuck).toEqual([]);
  });

  it('rethrows a permanent failure at once', async () => {
    const { hooks, retries } = recordingHooks();
    const bug = new TypeError('x is not a function');
    await expect(
      retryTransient(
        async () => {
          throw bug;
        },
        quick,
        hooks,
      ),
    ).rejects.toBe(bug);
    expect(retries).toEqual([]);
  });

  it('rethrows the transient failure once the consumer stops', async () => {
    let running = true;
    const { hooks } = recordingHooks(() => running);
    let calls = 0;
    await expect(
      retryTransient(
        async () => {
          calls += 1;
          if (calls === 2) running = false;
          throw new TransientError('database down');
        },
        quick,
        hooks,
      ),
    ).rejects.toThrow('database down');
    expect(calls).toBe(2);
  });

  it('reports a stall once after stuckAfterMs, then its recovery with the first error and the retries', async () => {
    const { hooks, stuck, ended } = recordingHooks();
    let calls = 0;
    await retryTransient(
      async () => {
        calls += 1;
        // Fails until the stall has been reported, so the bound is surely crossed.
        if (stuck.length === 0) throw new TransientError(`down (attempt ${calls})`);
      },
      { ...quick, stuckAfterMs: 20 },
      hooks,
    );
    expect(stuck).toHaveLength(1);
    expect(stuck[0]?.firstError).toMatchObject({ message: 'down (attempt 1)' });
    expect(ended).toHaveLength(1);
    expect(ended[0]?.end).toBe('succeeded');
    expect(ended[0]?.stall.retries).toBe(calls - 1);
    expect(Date.now() - (ended[0]?.stall.since ?? Date.now())).toBeGreaterThanOrEqual(20);
  });

  it('ends a stall as failed when the failure turns permanent, and as stopped when the consumer stops', async () => {
    const failing = recordingHooks();
    await expect(
      retryTransient(
        async () => {
          if (failing.stuck.length === 0) throw new TransientError('down');
          throw new Error('poison');
        },
        { ...quick, stuckAfterMs: 5 },
        failing.hooks,
      ),
    ).rejects.toThrow('poison');
    expect(failing.ended.map((e) => e.end)).toEqual(['failed']);

    let running = true;
    const stopping = recordingHooks(() => running);
    await expect(
      retryTransient(
        async () => {
          if (stopping.stuck.length > 0) running = false;
          throw new TransientError('down');
        },
        { ...quick, stuckAfterMs: 5 },
        stopping.hooks,
      ),
    ).rejects.toThrow('down');
    expect(stopping.ended.map((e) => e.end)).toEqual(['stopped']);
  });

  it('reports nothing for work that recovers within the bound', async () => {
    const { hooks, stuck, ended } = recordingHooks();
    let calls = 0;
    await retryTransient(
      async () => {
        calls += 1;
        if (calls < 3) throw new TransientError('blip');
      },
      { ...quick, stuckAfterMs: 60_000 },
      hooks,
    );
    expect(stuck).toEqual([]);
    expect(ended).toEqual([]);
  });

  it('gives the partition up when the heartbeat says the group is rebalancing, so kafkajs rejoins', async () => {
    const { hooks, stuck, ended } = recordingHooks();
    const rebalancing = new KafkaJSProtocolError(
      Object.assign(new Error('The group is rebalancing, so a rejoin is needed'), {
        type: 'REBALANCE_IN_PROGRESS',
        code: 27,
        retriable: false,
      }),
    );
    let calls = 0;
    await expect(
      retryTransient(
        async () => {
          calls += 1;
          throw new TransientError('down');
        },
        { initialMs: 5, maxMs: 10, stuckAfterMs: 0 },
        {
          ...hooks,
          heartbeat: async () => {
            // The first heartbeat is fine; the next one finds the group rebalancing.
            if (calls > 1) throw rebalancing;
          },
        },
      ),
    ).rejects.toBe(rebalancing);
    expect(calls).toBe(2);
    expect(stuck).toHaveLength(1);
    expect(ended.map((e) => e.end)).toEqual(['stopped']);
  });

  it('keeps retrying through a heartbeat that fails for another reason', async () => {
    const { hooks } = recordingHooks();
    let calls = 0;
    await retryTransient(
      async () => {
        calls += 1;
        if (calls < 3) throw new TransientError('down');
      },
      { initialMs: 5, maxMs: 10 },
      {
        ...hooks,
        heartbeat: async () => {
          throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
        },
      },
    );
    expect(calls).toBe(3);
  });
});
