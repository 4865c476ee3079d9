import { Readiness } from '../http/readiness';

describe('readiness', () => {
  it('is ready when every check passes, and names each failing check otherwise', async () => {
    const readiness = new Readiness();
    readiness.add('database', async () => undefined);
    expect(await readiness.report()).toEqual({ ready: true, checks: { database: 'up' } });
    readiness.add('elasticsearch', async () => {
      throw new Error('connect ECONNREFUSED');
    });
    expect(await readiness.report()).toEqual({
      ready: false,
      checks: { database: 'up', elasticsearch: 'connect ECONNREFUSED' },
    });
  });

  it('answers within its time limit when a check hangs', async () => {
    const readiness = new Readiness();
    readiness.add('registry', () => new Promise(() => undefined));
    const began = Date.now();
    const report = await readiness.report(50);
    expect(Date.now() - began).toBeLessThan(1_000);
    expect(report).toEqual({ ready: false, checks: { registry: 'no answer within 50 ms' } });
  });
});
