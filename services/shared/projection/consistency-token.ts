import { HttpProblem } from '../http/problem';

/** "<aggregate id>@<version>", as the write API returns it after a command. */
export interface ConsistencyToken {
  aggregateId: string;
  version: number;
}

export function parseConsistencyToken(token: string): ConsistencyToken {
  const match = /^([0-9A-Za-z._:-]{1,100})@([1-9]\d{0,8})$/.exec(token.trim());
  if (!match?.[1] || !match[2]) {
    throw HttpProblem.validation([
      { field: 'consistencyToken', message: 'expected "<id>@<version>", as returned by the write API' },
    ]);
  }
  return { aggregateId: match[1], version: Number(match[2]) };
}

/**
 * How many requests of one process may wait for a version at once. Each wait polls its
 * reader (an Elasticsearch get, a database query) until the version arrives or the wait
 * times out, and anyone may send a token for a version that will never exist: beyond this,
 * a request is told at once to come back (503) instead of adding another poller.
 */
export class WaitGate {
  private waiting = 0;

  constructor(readonly capacity: number) {}

  tryEnter(): boolean {
    if (this.waiting >= this.capacity) return false;
    this.waiting += 1;
    return true;
  }

  leave(): void {
    this.waiting -= 1;
  }
}

/** The gate every wait of this process passes unless given its own. */
export const processWaitGate = new WaitGate(64);

/**
 * Read-your-writes: waits (bounded) until a reader (a projection, the orchestrator's copy
 * of offers) has applied the token's version,
 * then lets the query run; past the deadline answers 503 with Retry-After, so the client
 * retries rather than reading state older than its own write. A version already applied
 * costs one read; a wait beyond the gate's capacity is a 503 at once.
 */
export async function waitForAppliedVersion(
  token: string,
  appliedVersion: (aggregateId: string) => Promise<number | undefined>,
  timeoutMs: number,
  afterApplied: () => Promise<void> = async () => undefined,
  reader = 'the read model',
  gate: WaitGate = processWaitGate,
): Promise<void> {
  const wanted = parseConsistencyToken(token);
  const isApplied = async () => ((await appliedVersion(wanted.aggregateId)) ?? 0) >= wanted.version;
  if (await isApplied()) return afterApplied();
  if (!gate.tryEnter()) {
    throw notYetConsistent(`${reader} has ${gate.capacity} requests waiting already; retry shortly`);
  }
  try {
    // Backs off, but the last look is at the deadline itself: the wait is the full timeout.
    const deadline = Date.now() + timeoutMs;
    for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
      if (await isApplied()) return await afterApplied();
    }
  } finally {
    gate.leave();
  }
  throw notYetConsistent(
    `${reader} has not applied version ${wanted.version} of ${wanted.aggregateId} within ${timeoutMs} ms; retry shortly`,
  );
}

function notYetConsistent(detail: string): HttpProblem {
  return new HttpProblem(503, 'Not yet consistent', detail, {}, undefined, { 'Retry-After': '1' });
}
