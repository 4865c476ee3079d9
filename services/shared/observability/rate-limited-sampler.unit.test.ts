import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { RateLimitedSampler } from './rate-limited-sampler';

describe('the sampler of new traces', () => {
  const decide = (sampler: RateLimitedSampler, times: number) =>
    Array.from({ length: times }, () => sampler.shouldSample().decision);

  it('records every trace up to the rate, then at most the rate per second', () => {
    let clock = 0;
    const sampler = new RateLimitedSampler(1, 5, () => clock);
    const first = decide(sampler, 10);
    expect(first.filter((d) => d === SamplingDecision.RECORD_AND_SAMPLED)).toHaveLength(5);
    clock += 1_000;
    expect(decide(sampler, 10).filter((d) => d === SamplingDecision.RECORD_AND_SAMPLED)).toHaveLength(5);
    clock += 200;
    expect(decide(sampler, 10).filter((d) => d === SamplingDecision.RECORD_AND_SAMPLED)).toHaveLength(1);
  });

  it('records a share of new traces when the ratio is below 1', () => {
    const draws = [0.05, 0.5, 0.09, 0.95];
    const sampler = new RateLimitedSampler(
      0.1,
      100,
      () => 0,
      () => draws.shift() ?? 1,
    );
    expect(decide(sampler, 4)).toEqual([
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.NOT_RECORD,
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.NOT_RECORD,
    ]);
  });
});
