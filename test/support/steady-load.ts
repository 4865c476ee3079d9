import { waitFor } from './wait-for';
/**
 * A steady stream of work for tests that break something while traffic flows: `workers`
 * loops call `step` until `stop()`, each pausing `paceMs` between steps so the rate is
 * steady rather than a flood. A step that throws is counted as failed, not fatal: the
 * point is that traffic keeps coming during the outage.
 */
export interface SteadyLoad {
  succeeded(): number;
  failed(): number;
  /** Resolves once `count` more steps have succeeded; fails after `timeoutMs`. */
  waitForMore(count: number, timeoutMs: number): Promise<void>;
  /** Stops every loop and waits for the steps in flight. */
  stop(): Promise<void>;
}

export function startSteadyLoad(
  workers: number,
  step: (worker: number) => Promise<void>,
  paceMs = 0,
): SteadyLoad {
  let running = true;
  let ok = 0;
  let bad = 0;
  const loops = Array.from({ length: workers }, async (_, worker) => {
    while (running) {
      try {
        await step(worker);
        ok += 1;
      } catch {
        bad += 1;
      }
      if (paceMs > 0) await new Promise((resolve) => setTimeout(resolve, paceMs));
    }
  });
  return {
    succeeded: () => ok,
    failed: () => bad,
    waitForMore: async (count, timeoutMs) => {
      const target = ok + count;
      await waitFor(
        () => `${target} load steps to succeed (${ok} did, ${bad} failed)`,
        () => ok >= target,
        timeoutMs,
      );
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
