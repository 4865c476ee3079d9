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
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(urls);
  let last = '';
  while (pending.size > 0) {
    signal?.throwIfAborted();
    for (const url of [...pending]) {
      const response = await fetch(`${url}/health/ready`, { signal }).catch(
        (error: unknown) => error as Error,
      );
      if (!(response instanceof Error) && response.status === 200) pending.delete(url);
      else last = response instanceof Error ? response.message : JSON.stringify(await response.json());
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`not ready within ${timeoutMs} ms: ${[...pending].join(', ')} (last answer: ${last})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
