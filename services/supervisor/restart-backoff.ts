/**
 * How long to wait before restarting a process that exited unexpectedly: doubling from
 * `initialMs` up to `maxMs` while it keeps dying, back to `initialMs` once a run lasted
 * `stableMs` (a crash after an hour of work is not a crash loop).
 */
export class RestartBackoff {
  private consecutive = 0;

  constructor(
    private readonly initialMs = 1_000,
    private readonly maxMs = 30_000,
    private readonly stableMs = 60_000,
  ) {}

  /** The delay before the next start, given how long the run that just ended lasted. */
  next(uptimeMs: number): number {
    if (uptimeMs >= this.stableMs) this.consecutive = 0;
    const delay = Math.min(this.maxMs, this.initialMs * 2 ** this.consecutive);
    this.consecutive += 1;
    return delay;
  }

  /** Crashes in a row, counting the one just reported. */
  get crashesInARow(): number {
    return this.consecutive;
  }
}
