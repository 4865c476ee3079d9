import { countErrorSample } from '../support/error-samples';
import { distribution, now, sleep, type Distribution } from '../support/measure';
import { pickKind, type CommandPort, type Kind, type Mix, type Targets } from '../support/http-commands';

export interface OpenLoopSpec {
  /** Commands per second offered, whatever the answers take (open loop). */
  rate: number;
  durationMs: number;
  mix: Mix;
  /** Commands in flight beyond this are not sent but counted as dropped: the system is not keeping up. */
  maxInFlight: number;
  /** Each accepted command, with the resulting stream version when the answer named it. */
  onAccepted?: (kind: Kind, id: string, version: number | undefined, at: number) => void;
}

export interface OpenLoopResult {
  offered: number;
  sent: number;
  dropped: number;
  ok: number;
  conflicts: number;
  errors: number;
  errorSamples: Record<string, number>;
  /** Accepted commands per second over the whole window (until the last answer). */
  acceptedPerSecond: number;
  latency: Distribution;
}

/**
 * Sends commands at a fixed rate (open loop: the schedule does not wait for answers, so a
 * slow system shows as latency and a backlog, not as a politely lower rate). A price change
 * or an offer goes to a random listing of `targets`; new listings join them.
 */
export async function openLoop(
  port: CommandPort,
  targets: Targets,
  spec: OpenLoopSpec,
): Promise<OpenLoopResult> {
  const latencies: number[] = [];
  const errorSamples: Record<string, number> = {};
  const result = { offered: 0, sent: 0, dropped: 0, ok: 0, conflicts: 0, errors: 0 };
  const inFlight = new Set<Promise<void>>();
  const total = Math.round((spec.rate * spec.durationMs) / 1000);
  const intervalMs = 1000 / spec.rate;

  const send = (kind: Kind, target: string | undefined) => {
    const sentAt = now();
    const done = port
      .run(kind, target)
      .catch((error: unknown) => ({ result: 'error' as const, detail: String(error) }))
      .then((outcome) => {
        const at = now();
        latencies.push(at - sentAt);
        if (outcome.result === 'ok') {
          result.ok++;
          const id = kind === 'list' ? outcome.id : target;
          if (kind === 'list' && outcome.id) targets.ids.push(outcome.id);
          if (id) spec.onAccepted?.(kind, id, outcome.version, at);
        } else if (outcome.result === 'conflict') {
          result.conflicts++;
        } else {
          result.errors++;
          countErrorSample(errorSamples, outcome.detail);
        }
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  const start = now();
  while (result.offered < total) {
    const due = Math.min(total, Math.floor((now() - start) / intervalMs) + 1);
    for (; result.offered < due; result.offered++) {
      if (inFlight.size >= spec.maxInFlight) {
        result.dropped++;
        continue;
      }
      const kind = pickKind(spec.mix, targets.ids.length > 0);
      send(kind, kind === 'list' ? undefined : targets.pick());
      result.sent++;
    }
    if (result.offered < total) await sleep(Math.max(0, start + result.offered * intervalMs - now()));
  }
  await Promise.all(inFlight);
  const elapsedS = (now() - start) / 1000;
  return {
    ...result,
    errorSamples,
    acceptedPerSecond: result.ok / elapsedS,
    latency: distribution(latencies),
  };
}
