import { isMainThread } from 'node:worker_threads';
import { InvalidArgumentError } from 'commander';

/** A commander option parser for a whole number ≥ 1, naming the option when it is not one. */
export const positiveInt =
  (name: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };

/**
 * A benchmark's entry: `main` on the main thread, then exit at once (pools and clients may
 * keep sockets briefly after closing; the run is over), exit 1 with the stack on failure.
 * A benchmark that re-runs its own file as a worker thread passes `worker` for that case.
 */
export function runBench(main: () => Promise<void>, worker?: () => void): void {
  if (!isMainThread) {
    worker?.();
    return;
  }
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
