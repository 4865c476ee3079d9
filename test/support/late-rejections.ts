/**
 * A net for promise rejections nobody handles between test files. While a file runs,
 * jest-circus takes them over and fails that file; in the moments between files (the
 * next file loading, the last one's teardown) Node's default would end the jest process,
 * so the files after it never ran and no summary was printed. Caught here, they are
 * written out at once and fail the run in the global teardown, after jest's summary.
 * Which file made the promise is not known by then: the error's stack names the place.
 */
const caught: unknown[] = [];

function describe(reason: unknown): string {
  return reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
}

function keep(reason: unknown): void {
  caught.push(reason);
  process.stderr.write(
    `\n[deedstream] a promise rejected with no handler between test files:\n${describe(reason)}\n`,
  );
}

export function catchLateRejections(): void {
  if (!process.listeners('unhandledRejection').includes(keep)) process.on('unhandledRejection', keep);
}

/** Throws (failing the run) if any rejection was caught. */
export function failOnLateRejections(): void {
  process.off('unhandledRejection', keep);
  if (caught.length === 0) return;
  const reasons = caught.splice(0).map(describe);
  throw new Error(
    `${reasons.length} promise rejection(s) had no handler between test files; the first:\n${reasons[0]}`,
  );
}
