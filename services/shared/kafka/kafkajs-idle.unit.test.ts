/**
 * kafkajs 2.2.4 (its last release) spins a 1 ms timer loop on every idle broker connection:
 * its request queue schedules a check of pending requests even when nothing is pending
 * (tulios/kafkajs#1556). That alone kept each idle service process at ~0.04 of a core.
 * patches/kafkajs+2.2.4.patch (applied by patch-package at `npm ci`) schedules the check only
 * for pending requests; this test fails if the patch is not applied.
 */
interface RequestQueueLike {
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  destroy(): void;
}
type RequestQueueClass = new (options: {
  maxInFlightRequests: number | null;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  clientId: string;
  broker: string;
  logger: { debug(): void; warn(): void; error(): void; info(): void };
}) => RequestQueueLike;

// kafkajs ships no types for its internals.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as RequestQueueClass;

const quiet = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  info: () => undefined,
};

describe('an idle kafkajs connection (patched request queue)', () => {
  it('schedules no timer when no request is pending', () => {
    const queue = new RequestQueue({
      maxInFlightRequests: null,
      requestTimeout: 30_000,
      enforceRequestTimeout: false,
      clientId: 'test',
      broker: '127.0.0.1:9092',
      logger: quiet,
    });
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.destroy();
  });
});
