import type { Request, Response } from 'express';
import { requireSameOrigin, SAME_ORIGIN_RULE } from './same-origin';

/** What requireSameOrigin passed on for a request to the console at http://127.0.0.1:3000. */
function verdict(method: string, headers: Record<string, string>): unknown {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const req = {
    method,
    protocol: 'http',
    get: (name: string) => (name.toLowerCase() === 'host' ? '127.0.0.1:3000' : undefined),
    header: (name: string) => lower.get(name.toLowerCase()),
  };
  let passed: unknown = 'not called';
  requireSameOrigin(req as unknown as Request, {} as Response, (error?: unknown) => (passed = error));
  return passed;
}

describe('requireSameOrigin', () => {
  it('lets reads through from anywhere', () => {
    expect(
      verdict('GET', { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }),
    ).toBeUndefined();
  });

  it.each([
    [{ 'Sec-Fetch-Site': 'same-origin' }],
    [{ 'Sec-Fetch-Site': 'none' }],
    [{ Origin: 'http://127.0.0.1:3000' }],
    [{}],
  ])('lets a change through from the console itself, a typed address or no browser page: %j', (headers) => {
    expect(verdict('POST', headers)).toBeUndefined();
  });

  it.each([
    [{ 'Sec-Fetch-Site': 'same-site', Origin: 'http://127.0.0.1:6666' }],
    [{ 'Sec-Fetch-Site': 'cross-site' }],
    [{ Origin: 'http://127.0.0.1:6666' }],
    [{ Origin: 'null' }],
  ])('refuses a change another origin sent with a 403 naming the rule: %j', (headers) => {
    expect(verdict('DELETE', headers)).toMatchObject({ status: 403, extra: { rule: SAME_ORIGIN_RULE } });
  });
});
