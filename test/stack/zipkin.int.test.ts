import { randomBytes } from 'node:crypto';
import { zipkin, zipkinUrl } from '../../stack/components/zipkin';
import { runningPid } from '../../stack/process';
import { awaitTrace } from '../support/zipkin';

describe('Zipkin (native stack)', () => {
  it('is healthy and is recognised as the stack’s own process by its command line', async () => {
    const health = await zipkin.health();
    expect(health).toMatchObject({ healthy: true, detail: expect.stringMatching(/^Zipkin 3\./) });
    const pid = runningPid('zipkin');
    expect(pid).toBeDefined();
    expect(zipkin.findOwnProcess?.()).toBe(pid);
  });

  it('takes spans on /api/v2/spans and serves the trace through its query API', async () => {
    const traceId = randomBytes(16).toString('hex');
    const rootId = randomBytes(8).toString('hex');
    const childId = randomBytes(8).toString('hex');
    const now = Date.now() * 1000;
    const spans = [
      {
        traceId,
        id: rootId,
        name: 'smoke root',
        timestamp: now,
        duration: 2_000,
        localEndpoint: { serviceName: 'smoke-a' },
      },
      {
        traceId,
        id: childId,
        parentId: rootId,
        name: 'smoke child',
        timestamp: now + 500,
        duration: 1_000,
        localEndpoint: { serviceName: 'smoke-b' },
        tags: { 'smoke.tag': 'yes' },
      },
    ];
    const posted = await fetch(`${zipkinUrl}/api/v2/spans`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(spans),
    });
    expect(posted.status).toBe(202);

    const stored = await awaitTrace(traceId, (got) => (got.length < 2 ? 'both spans' : undefined), 10_000);
    const child = stored.find((s) => s.id === childId);
    expect(child).toMatchObject({ parentId: rootId, tags: { 'smoke.tag': 'yes' } });
    expect(child?.localEndpoint?.serviceName).toBe('smoke-b');
  });
});
