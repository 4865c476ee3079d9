import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';

/**
 * Decides whether a new trace is recorded: each with probability `ratio`, and at most
 * `perSecond` a second (a token bucket holding a second's worth). At the rate of someone
 * trying the system every command is traced; under load the cost of tracing stays that of
 * `perSecond` traces, whatever the rate. Traces continued from a traceparent follow its
 * sampled flag (the SDK's ParentBasedSampler puts this at the root only).
 */
export class RateLimitedSampler implements Sampler {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly ratio: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly random: () => number = Math.random,
  ) {
    this.tokens = perSecond;
    this.refilledAt = now();
  }

  shouldSample(): SamplingResult {
    if (this.ratio < 1 && this.random() >= this.ratio) return { decision: SamplingDecision.NOT_RECORD };
    const at = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((at - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = at;
    if (this.tokens < 1) return { decision: SamplingDecision.NOT_RECORD };
    this.tokens -= 1;
    return { decision: SamplingDecision.RECORD_AND_SAMPLED };
  }

  toString(): string {
    return `RateLimitedSampler{ratio=${this.ratio}, perSecond=${this.perSecond}}`;
  }
}
