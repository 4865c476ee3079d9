import { waitFor } from './wait-for';

/**
 * Waits (bounded) until every service answers /health/ready with 200: its database and
 * registry answer and its consumers have joined their groups. An e2e file that starts
 * services waits for this instead of assuming a warm pipeline. `signal` ends the wait early
 * (the process being awaited has died).
 */
export async function awaitReady(
  urls: readonly string[],
  timeoutMs = 90_000,
  signal?: AbortSignal,
): Promise<void> {
  const pending = new Set(urls);
  let last = '';
  await waitFor(
    () => `${[...pending].join(', ')} to be ready (last answer: ${last})`,
    async () => {
      for (const url of [...pending]) {
        const response = await fetch(`${url}/health/ready`, { signal }).catch(
          (error: unknown) => error as Error,
        );
        if (!(response instanceof Error) && response.status === 200) pending.delete(url);
        else last = response instanceof Error ? response.message : JSON.stringify(await response.json());
      }
      return pending.size === 0;
    },
    { timeoutMs, pollMs: 250, signal },
  );
}
