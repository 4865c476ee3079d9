import { messageOf } from '../../services/shared/errors/message-of';
import { countErrorSample } from '../support/error-samples';
import {
  pickKind,
  type CommandPort,
  type Kind,
  type Mix,
  type Outcome,
  type Targets,
} from '../support/http-commands';

/** What one closed-loop phase (seed, warm-up or a measured round) did. */
export interface PhaseResult {
  commands: number;
  ok: number;
  conflicts: number;
  errors: number;
  /** Up to a few error descriptions with their counts, so a failing run says why. */
  errorSamples: Record<string, number>;
  byKind: Record<Kind, number>;
  elapsedMs: number;
  /** Latency of every finished command in ms, ascending. */
  latenciesMs: Float64Array;
}

export interface PhaseSpec {
  concurrency: number;
  mix: Mix;
  /** Stop after this long, or … */
  durationMs?: number;
  /** … after this many commands (seeding). */
  count?: number;
}

/**
 * Closed loop: `concurrency` workers each send one command, wait for it, send the next,
 * until the deadline (or the count). Latency is measured around each command. Every path
 * (API clients in their worker thread, raw SQL in this one) is driven by this same loop.
 */
export async function runClosedLoop(
  port: CommandPort,
  targets: Targets,
  spec: PhaseSpec,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  const errorSamples: Record<string, number> = {};
  const byKind: Record<Kind, number> = { list: 0, price: 0, offer: 0 };
  let ok = 0;
  let conflicts = 0;
  let errors = 0;
  let issued = 0;
  const started = process.hrtime.bigint();
  const deadline = spec.durationMs === undefined ? undefined : started + BigInt(spec.durationMs) * 1_000_000n;

  const loop = async (): Promise<void> => {
    for (;;) {
      if (spec.count !== undefined && issued >= spec.count) return;
      if (deadline !== undefined && process.hrtime.bigint() >= deadline) return;
      issued++;
      const kind = pickKind(spec.mix, targets.ids.length > 0);
      const target = kind === 'list' ? undefined : targets.pick();
      const t0 = process.hrtime.bigint();
      let outcome: Outcome;
      try {
        outcome = await port.run(kind, target);
      } catch (error) {
        outcome = { result: 'error', detail: messageOf(error) };
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      byKind[kind]++;
      if (outcome.result === 'ok') {
        ok++;
        if (kind === 'list' && outcome.id) targets.ids.push(outcome.id);
      } else if (outcome.result === 'conflict') {
        conflicts++;
      } else {
        errors++;
        countErrorSample(errorSamples, outcome.detail);
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, loop));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const sorted = Float64Array.from(latencies).sort();
  return {
    commands: latencies.length,
    ok,
    conflicts,
    errors,
    errorSamples,
    byKind,
    elapsedMs,
    latenciesMs: sorted,
  };
}
