import { createLogger } from '../observability/logger';
import { DueTimeTask } from './due-time-task';

describe('a task that runs when its work falls due', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  /** A task that records when it ran and answers the next due times it is given, in turn. */
  const setUp = (maxIdleMs: number, answers: (number | undefined | Error)[] = []) => {
    const runs: number[] = [];
    const task = new DueTimeTask(
      'sweeper',
      async () => {
        runs.push(Date.now());
        const answer = answers.shift();
        if (answer instanceof Error) throw answer;
        return answer === undefined ? undefined : new Date(answer);
      },
      maxIdleMs,
      createLogger('test', 'silent'),
    );
    return { runs, task };
  };

  it('runs at start, then when the next run is due, and at most maxIdleMs apart at rest', async () => {
    const { runs, task } = setUp(30_000, [5_000, undefined, undefined]);
    await task.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([0]);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(runs).toEqual([0]);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([0, 5_000]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runs).toEqual([0, 5_000, 35_000, 65_000]);
    await task.stop();
  });

  it('a due time later than maxIdleMs is looked at after maxIdleMs', async () => {
    const { runs, task } = setUp(30_000, [100_000]);
    await task.start();
    await jest.advanceTimersByTimeAsync(30_000);
    expect(runs).toEqual([0, 30_000]);
    await task.stop();
  });

  it('wakeBy brings the next run forward, and never pushes it back', async () => {
    const { runs, task } = setUp(30_000);
    await task.start();
    await jest.advanceTimersByTimeAsync(0);
    task.wakeBy(new Date(2_000));
    task.wakeBy(new Date(9_000));
    await jest.advanceTimersByTimeAsync(2_000);
    expect(runs).toEqual([0, 2_000]);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(runs).toEqual([0, 2_000, 32_000]);
    await task.stop();
  });

  it('never runs twice at once: a wake-up during a run makes one more run right after it', async () => {
    let finish: () => void = () => undefined;
    const runs: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const task = new DueTimeTask(
      'slow',
      async () => {
        runs.push(Date.now());
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        if (runs.length === 1) await new Promise<void>((resolve) => (finish = resolve));
        inFlight -= 1;
        return undefined;
      },
      30_000,
      createLogger('test', 'silent'),
    );
    await task.start();
    await jest.advanceTimersByTimeAsync(0);
    task.wakeBy(new Date(100));
    task.wakeBy(new Date(50));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toEqual([0]);
    finish();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([0, 1_000]);
    expect(mostInFlight).toBe(1);
    await task.stop();
  });

  it('a failed run is tried again after maxIdleMs', async () => {
    const { runs, task } = setUp(10_000, [new Error('database down'), 12_000]);
    await task.start();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runs).toEqual([0, 10_000]);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(runs).toEqual([0, 10_000, 12_000]);
    await task.stop();
  });

  it('every: runs at start, then every interval after each run; a stop and a start begin again', async () => {
    const runs: number[] = [];
    const task = DueTimeTask.every(
      'housekeeping',
      1_000,
      async () => {
        runs.push(Date.now());
      },
      createLogger('test', 'silent'),
    );
    await task.start();
    await jest.advanceTimersByTimeAsync(2_500);
    expect(runs).toEqual([0, 1_000, 2_000]);
    await task.stop();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(runs).toEqual([0, 1_000, 2_000]);
    await task.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([0, 1_000, 2_000, 4_500]);
    await task.stop();
  });

  it('after stop nothing runs, even when woken', async () => {
    const { runs, task } = setUp(1_000);
    await task.start();
    await jest.advanceTimersByTimeAsync(0);
    await task.stop();
    task.wakeBy(new Date(10));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(runs).toEqual([0]);
  });
});
