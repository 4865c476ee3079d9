import { countErrorSample } from '../support/error-samples';
import { now, sleep } from '../support/measure';
import type { Commit, PropertyEventWriter } from './property-event-writer';

export interface LoadResult {
  commits: Commit[];
  errors: number;
  errorSamples: Record<string, number>;
  elapsedMs: number;
  /** How late each dispatch was against its slot in the schedule (open loop only), ascending. */
  dispatchLagMs: Float64Array;
  maxInFlight: number;
}

/** Collects the commits and failures of one load, and the most saves it had in flight at once. */
class LoadRecorder {
  readonly commits: Commit[] = [];
  errors = 0;
  readonly errorSamples: Record<string, number> = {};
  inFlight = 0;
  maxInFlight = 0;

  run(writer: PropertyEventWriter): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return writer.commitOne().then(
      (commit) => {
        this.inFlight--;
        this.commits.push(commit);
      },
      (error: unknown) => {
        this.inFlight--;
        this.errors++;
        countErrorSample(this.errorSamples, error instanceof Error ? error.message : String(error));
      },
    );
  }
}

/**
 * Open loop: event i is due at start + i/rate, whether or not earlier saves have returned,
 * so a slow relay or database shows up as latency, never as a lower offered load. A timer
 * tick dispatches every event that has come due since the last tick.
 */
export async function openLoop(
  writer: PropertyEventWriter,
  rate: number,
  durationMs: number,
): Promise<LoadResult> {
  const recorder = new LoadRecorder();
  const total = Math.round((rate * durationMs) / 1000);
  const intervalMs = 1000 / rate;
  const lags: number[] = [];
  const pending: Array<Promise<void>> = [];
  const start = now();
  let issued = 0;
  while (issued < total) {
    const t = now();
    const due = Math.min(total, Math.floor((t - start) / intervalMs) + 1);
    for (; issued < due; issued++) {
      lags.push(t - (start + issued * intervalMs));
      pending.push(recorder.run(writer));
    }
    // setTimeout(1) ticks every ~1 ms; the lag figures say how closely the schedule was kept.
    if (issued < total) await sleep(Math.max(0, start + issued * intervalMs - now()));
  }
  await Promise.all(pending);
  return {
    commits: recorder.commits,
    errors: recorder.errors,
    errorSamples: recorder.errorSamples,
    elapsedMs: now() - start,
    dispatchLagMs: Float64Array.from(lags).sort(),
    maxInFlight: recorder.maxInFlight,
  };
}

/** Closed loop for the backlog: `concurrency` saves at a time until `count` are done. */
export async function closedLoop(
  writer: PropertyEventWriter,
  count: number,
  concurrency: number,
): Promise<LoadResult> {
  const recorder = new LoadRecorder();
  let issued = 0;
  const start = now();
  const loop = async () => {
    while (issued < count) {
      issued++;
      await recorder.run(writer);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, loop));
  return {
    commits: recorder.commits,
    errors: recorder.errors,
    errorSamples: recorder.errorSamples,
    elapsedMs: now() - start,
    dispatchLagMs: new Float64Array(0),
    maxInFlight: recorder.maxInFlight,
  };
}
