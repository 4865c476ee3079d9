import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { propertyTopic } from '../../services/property/published';
import { moneyFromMinor } from '../../services/shared/domain/money';
import { sleep, now } from '../support/measure';
import { benchSaveContext, type PropertyRepository } from '../support/property-saves';
import { sampleListing } from '../support/sample-listing';
import type { Options } from './options';
import { topicTotals, waitForLagZero } from './topic-progress';

export interface SeedReport {
  properties: number;
  events: number;
  commitSeconds: number;
  relayedAfterS: number;
  /** Whether the live projections of `npm start` had caught up before the measurements. */
  liveCaughtUp: Record<string, boolean>;
}

/**
 * Commits `--properties` listings with `--changes` price changes each, waits until the
 * connector has relayed them to the topic, then until the live projections have folded them.
 */
export async function seed(
  repository: PropertyRepository,
  admin: Admin,
  options: Options,
  progress: (text: string) => void,
): Promise<SeedReport> {
  const runId = randomUUID().slice(0, 8);
  const before = await topicTotals(admin, propertyTopic);
  const events = options.properties * (1 + options.changes);
  progress(`seeding ${options.properties} properties × (1 + ${options.changes}) events = ${events}…`);
  const start = now();
  let next = 0;
  const worker = async () => {
    while (next < options.properties) {
      const n = next++;
      const property = sampleListing(`bench-proj-${runId}-${n}`, n);
      for (let c = 1; c <= options.changes; c++)
        property.execute({ type: 'ChangePrice', price: moneyFromMinor(650_000_00 - c, 'EUR') });
      await repository.save(property, property.persistedVersion, benchSaveContext('bench-projections'));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const committed = now();
  // The end offsets say when the connector has relayed them (other writers only add to it).
  const deadline = Date.now() + 300_000;
  while ((await topicTotals(admin, propertyTopic)).high < before.high + BigInt(events)) {
    if (Date.now() > deadline) throw new Error('the seeded events did not reach property.events in 300 s');
    await sleep(100);
  }
  const relayed = now();
  // The live projections of `npm start` fold the same events; wait so they do not compete.
  const liveCaughtUp: Record<string, boolean> = {};
  for (const group of ['projection.property-search', 'projection.market-analytics']) {
    liveCaughtUp[group] = await waitForLagZero(admin, group, [propertyTopic], 250, 120_000).then(
      () => true,
      () => false,
    );
  }
  return {
    properties: options.properties,
    events,
    commitSeconds: (committed - start) / 1000,
    relayedAfterS: (relayed - committed) / 1000,
    liveCaughtUp,
  };
}
