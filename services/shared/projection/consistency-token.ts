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
 * Read-your-writes: waits (bounded) until a reader (a projection, the orchestrator's copy
 * of offers) has applied the token's version,
 * then lets the query run; past the deadline answers 503 with Retry-After, so the client
 * retries rather than reading state older than its own write.
 */
export async function waitForAppliedVersion(
  token: string,
  appliedVersion: (aggregateId: string) => Promise<number | undefined>,
  timeoutMs: number,
  afterApplied: () => Promise<void> = async () => undefined,
  reader = 'the read model',
): Promise<void> {
  const wanted = parseConsistencyToken(token);
  const deadline = Date.now() + timeoutMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    const applied = await appliedVersion(wanted.aggregateId);
    if (applied !== undefined && applied >= wanted.version) {
      await afterApplied();
      return;
    }
    if (Date.now() + pause > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  throw new HttpProblem(
    503,
    'Not yet consistent',
    `${reader} has not applied version ${wanted.version} of ${wanted.aggregateId} within ${timeoutMs} ms; retry shortly`,
    {},
    undefined,
    { 'Retry-After': '1' },
  );
}
