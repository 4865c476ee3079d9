/**
 * Polls `condition` until it holds or `timeoutMs` passes, then fails naming what was
 * awaited. A bounded wait on a condition, never a fixed sleep.
 */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Polls `probe` until it gives a value (anything but undefined) and returns it; bounded like waitFor. */
export async function waitForValue<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  let value: T | undefined;
  await waitFor(what, async () => (value = await probe()) !== undefined, timeoutMs);
  if (value === undefined) throw new Error(`${what}: no value`);
  return value;
}
