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

/** A commander option parser for a whole number ≥ 0 (a count that may skip a phase). */
export const nonNegativeInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be an integer ≥ 0');
  return n;
};

/** A commander option parser for a number > 0 (a rate or a timeout may be fractional). */
export const positiveNumber =
  (name: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number > 0`);
    return n;
  };

/** A commander option parser for a number ≥ 0 (seconds, where 0 skips a warm-up or a phase). */
export const nonNegativeNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number ≥ 0');
  return n;
};

/**
 * A commander option parser for `--phases a,b`: every name must be one of `allPhases`, so a
 * typo fails at once instead of silently skipping the phase it meant.
 */
export function phaseList<P extends string>(allPhases: readonly P[]): (value: string) => P[] {
  return (value) =>
    value.split(',').map((part) => {
      const name = part.trim();
      const phase = allPhases.find((known) => known === name);
      if (phase === undefined) throw new InvalidArgumentError(`unknown phase "${name}"`);
      return phase;
    });
}

/**
 * Where a benchmark says what it is doing: stderr, so stdout holds only the result, and
 * nothing at all with --json, so the output can be piped as it is.
 */
export function progressReporter(json: boolean): (text: string) => void {
  return (text) => {
    if (!json) process.stderr.write(`${text}\n`);
  };
}

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
