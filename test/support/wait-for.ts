/**
 * What was awaited, for the failure: a fixed text, or one made when the wait gives up, so it
 * can say how far things got ("3 messages behind", "has v2").
 */
export type WaitSubject = string | (() => string | Promise<string>);

export interface WaitOptions {
  /** Longest wait (default 20 s). */
  timeoutMs?: number;
  /** Pause between two looks (default 25 ms); longer where a look is expensive. */
  pollMs?: number;
  /** Ends the wait early (what was awaited can no longer happen: its process died). */
  signal?: AbortSignal;
}

const optionsOf = (options: number | WaitOptions | undefined): WaitOptions =>
  typeof options === 'number' ? { timeoutMs: options } : (options ?? {});

/**
 * Polls `condition` until it holds or the timeout passes, then fails naming what was
 * awaited. A bounded wait on a condition, never a fixed sleep. `options` may be just the
 * timeout in ms.
 */
export async function waitFor(
  what: WaitSubject,
  condition: () => boolean | Promise<boolean>,
  options?: number | WaitOptions,
): Promise<void> {
  const { timeoutMs = 20_000, pollMs = 25, signal } = optionsOf(options);
  const until = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    if (await condition()) return;
    if (Date.now() > until) {
      const described = typeof what === 'string' ? what : await what();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Polls `probe` until it gives a value (anything but undefined) and returns it; bounded like waitFor. */
export async function waitForValue<T>(
  what: WaitSubject,
  probe: () => Promise<T | undefined>,
  options?: number | WaitOptions,
): Promise<T> {
  let value: T | undefined;
  await waitFor(what, async () => (value = await probe()) !== undefined, options);
  if (value === undefined) throw new Error(`${typeof what === 'string' ? what : 'the wait'}: no value`);
  return value;
}
