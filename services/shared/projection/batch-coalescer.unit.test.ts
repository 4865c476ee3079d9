import { BatchCoalescer } from './batch-coalescer';

describe('BatchCoalescer', () => {
  it('flushes batches submitted together as one, and resolves each submitter after it', async () => {
    const flushes: number[][] = [];
    const coalescer = new BatchCoalescer<number>(async (items) => {
      flushes.push(items);
    }, 5);
    await Promise.all([coalescer.submit(1), coalescer.submit(2), coalescer.submit(3)]);
    expect(flushes).toEqual([[1, 2, 3]]);
  });

  it('rejects every submitter of a failed flush, and later submissions flush again', async () => {
    let fail = true;
    const coalescer = new BatchCoalescer<string>(async () => {
      if (fail) throw new Error('elasticsearch unavailable');
    }, 1);
    const results = await Promise.allSettled([coalescer.submit('a'), coalescer.submit('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(coalescer.submit('a')).resolves.toBeUndefined();
  });

  it('keeps at most maxInFlight flushes running and gathers what arrives meanwhile', async () => {
    const flushes: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const coalescer = new BatchCoalescer<number>(
      async (items) => {
        flushes.push(items);
        if (flushes.length === 1) await gate;
      },
      1,
      1,
    );
    const first = coalescer.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const later = [coalescer.submit(2), coalescer.submit(3)];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(flushes).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(flushes).toEqual([[1], [2, 3]]);
  });
});
