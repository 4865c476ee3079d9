import { distribution, now, percentile, withMachineCpu, type Distribution } from '../support/measure';
import { openLoop } from './load-loops';
import { matchArrivals } from './match-arrivals';
import type { Options } from './options';
import type { PropertyEventWriter } from './property-event-writer';
import type { RelayConsumer } from './relay-consumer';

export interface LatencyReport {
  offeredRate: number;
  durationS: number;
  warmupS: number;
  committed: number;
  errors: number;
  errorSamples: Record<string, number>;
  committedPerSecond: number;
  /** Measured events received / (last receive − start of the measured load). */
  relayedPerSecond: number;
  /** p99 and max lateness of dispatches against the schedule: how exact the offered load was. */
  dispatchLagP99Ms: number;
  dispatchLagMaxMs: number;
  maxInFlight: number;
  /** The INSERT round trip of repository.save (encode + one-statement append). */
  save: Distribution;
  /** Kafka message timestamp (CreateTime, set by Debezium) minus commit time. */
  commitToCreateTime: Distribution;
  /** Consumer receive time minus commit time: the end-to-end figure, incl. the consumer fetch. */
  commitToReceive: Distribution;
  /** Consumer receive time minus the start of the save: an upper bound that includes the save. */
  saveStartToReceive: Distribution;
  duplicates: number;
  missing: number;
  machineCpuBusy: number;
}

/** An unmeasured warm-up, then `--duration` seconds at `--rate` (open loop), matched with what arrived. */
export async function latencyPhase(
  writer: PropertyEventWriter,
  consumer: RelayConsumer,
  options: Options,
  progress: (text: string) => void,
): Promise<LatencyReport> {
  progress(`latency: warming up at ${options.rate}/s for ${options.warmup}s…`);
  const warm = await openLoop(writer, options.rate, options.warmup * 1000);
  if (warm.commits.length === 0 && options.warmup > 0) throw new Error('the warm-up committed no events');
  progress(`latency: offering ${options.rate} events/s for ${options.duration}s…`);
  const measuredStart = now();
  const { result: load, machineCpuBusy } = await withMachineCpu(() =>
    openLoop(writer, options.rate, options.duration * 1000),
  );
  progress(`latency: waiting up to ${options.stragglerTimeout}s for the last events…`);
  await consumer.waitForAll(
    load.commits.map((c) => c.eventId),
    options.stragglerTimeout * 1000,
  );
  const matched = matchArrivals(load.commits, consumer);
  const received = load.commits.length - matched.missing;
  return {
    offeredRate: options.rate,
    durationS: options.duration,
    warmupS: options.warmup,
    committed: load.commits.length,
    errors: load.errors,
    errorSamples: load.errorSamples,
    committedPerSecond: load.commits.length / (load.elapsedMs / 1000),
    relayedPerSecond: received / ((matched.lastReceived - measuredStart) / 1000),
    dispatchLagP99Ms: percentile(load.dispatchLagMs, 0.99),
    dispatchLagMaxMs: percentile(load.dispatchLagMs, 1),
    maxInFlight: load.maxInFlight,
    save: distribution(load.commits.map((c) => c.saveMs)),
    commitToCreateTime: distribution(matched.toCreate),
    commitToReceive: distribution(matched.toReceive),
    saveStartToReceive: distribution(matched.fromStartToReceive),
    duplicates: matched.duplicates,
    missing: matched.missing,
    machineCpuBusy,
  };
}
