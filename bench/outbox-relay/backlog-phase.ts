import type { ConnectorState } from '../../services/shared/connect/connect-client';
import { connect } from '../../test/support/pipeline';
import { now, sleep, withMachineCpu } from '../support/measure';
import { closedLoop } from './load-loops';
import { matchArrivals } from './match-arrivals';
import type { Options } from './options';
import type { PropertyEventWriter } from './property-event-writer';
import type { RelayConsumer, Relayed } from './relay-consumer';

export interface BacklogReport {
  events: number;
  errors: number;
  commitSeconds: number;
  /** Events the connector relayed / (last receive − resume request). */
  relayedPerSecond: number;
  /** Same with the last CreateTime instead of the last receive (excludes the producer and consumer legs). */
  relayedPerSecondByCreateTime: number;
  /** Seconds from the resume request until the last event was received. */
  drainSeconds: number;
  /** Seconds from the resume request until the first event was received (task restart). */
  firstEventAfterS: number;
  duplicates: number;
  missing: number;
  machineCpuBusy: number;
}

/** Polls the connector until it and every task are in `state`. */
async function waitForState(name: string, state: ConnectorState, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await connect.status(name);
    if (status.connector.state === state && status.tasks.every((t) => t.state === state)) return;
    if (Date.now() >= deadline)
      throw new Error(
        `${name} did not reach ${state} within ${timeoutMs} ms: connector ${status.connector.state}, tasks ${status.tasks.map((t) => t.state).join(',')}`,
      );
    await sleep(100);
  }
}

/**
 * The relay's drain rate: `--backlog` events committed while the connector is paused, then
 * timed from the resume request until the last of them arrived. Also returns the relayed
 * messages, which the baseline produces again.
 */
export async function backlogPhase(
  writer: PropertyEventWriter,
  consumer: RelayConsumer,
  options: Options,
  progress: (text: string) => void,
): Promise<{ report: BacklogReport; messages: Relayed[] }> {
  progress(`backlog: pausing ${options.connector}…`);
  await connect.pause(options.connector);
  let paused = true;
  try {
    await waitForState(options.connector, 'PAUSED', 60_000);
    progress(`backlog: committing ${options.backlog} events (${options.concurrency} at a time)…`);
    const load = await closedLoop(writer, options.backlog, options.concurrency);
    progress(`backlog: resuming ${options.connector}, waiting for all ${load.commits.length} events…`);
    const { result, machineCpuBusy } = await withMachineCpu(async () => {
      const resumedAt = now();
      await connect.resume(options.connector);
      paused = false;
      await consumer.waitForAll(
        load.commits.map((c) => c.eventId),
        options.drainTimeout * 1000,
      );
      return { resumedAt };
    });
    const matched = matchArrivals(load.commits, consumer);
    const relayed = load.commits.length - matched.missing;
    const drainSeconds = (matched.lastReceived - result.resumedAt) / 1000;
    const messages: Relayed[] = [];
    for (const commit of load.commits) {
      const arrival = consumer.arrivals.get(commit.eventId);
      if (arrival) messages.push(arrival.message);
    }
    return {
      report: {
        events: load.commits.length,
        errors: load.errors,
        commitSeconds: load.elapsedMs / 1000,
        relayedPerSecond: relayed / drainSeconds,
        relayedPerSecondByCreateTime: relayed / ((matched.lastCreate - result.resumedAt) / 1000),
        drainSeconds,
        firstEventAfterS: (matched.firstReceived - result.resumedAt) / 1000,
        duplicates: matched.duplicates,
        missing: matched.missing,
        machineCpuBusy,
      },
      messages,
    };
  } finally {
    // Never leave the shared connector paused, whatever failed above.
    if (paused) await connect.resume(options.connector);
  }
}
