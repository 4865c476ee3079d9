import { randomUUID } from 'node:crypto';
import { CounterFixture, type CounterDocument } from '../../../test/support/counter-projection';
import { waitFor } from '../../../test/support/wait-for';
import { consumerGroupLag } from './consumer-lag';
import type { ProjectionRunner } from './projection-runner';

/**
 * The runner alone on the real broker, registry and Elasticsearch: decode → fold → write →
 * commit, with a test-only counter projection (test/support/counter-projection.ts) whose
 * fold throws on an event out of order, so a misordered or re-applied event shows.
 */
const fixture = new CounterFixture('runner', 3);
let runner: ProjectionRunner<CounterDocument>;

beforeAll(async () => {
  await fixture.open();
  // Small batches: one partition's messages span several chunks, and several chunks share a flush.
  runner = fixture.runner({ batchSize: 4 });
  await runner.start();
});

afterAll(() => fixture.close());

/** Bounded wait until `groupId` has committed everything on the topic. */
async function caughtUp(groupId: string): Promise<void> {
  let behind = -1;
  await waitFor(
    () => `${groupId} to commit everything (${behind} behind)`,
    async () => {
      behind = (await consumerGroupLag(fixture.admin, groupId, [fixture.topic])).reduce(
        (s, p) => s + p.lag,
        0,
      );
      return behind === 0;
    },
    { pollMs: 100 },
  );
}

/** How many events the runners of this file counted with `outcome`. */
async function counted(outcome: 'applied' | 'duplicate' | 'parked'): Promise<number> {
  const { values } = await fixture.metrics.events.get();
  return values.filter((v) => v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0);
}

describe('ProjectionRunner', () => {
  it('folds every key’s events into its document in the order they were published, and commits them', async () => {
    const keys = Array.from({ length: 6 }, () => randomUUID());
    const amounts = (k: number) => Array.from({ length: 8 }, (_, i) => (k + 1) * 100 + i);
    const histories = await Promise.all(keys.map((key, k) => fixture.history(key, amounts(k))));
    // Interleaved: each round brings the next event of every key, in one request per round.
    for (let round = 0; round < 9; round += 1)
      await fixture.sendAll(histories.map((history) => history[round]).filter((m) => m !== undefined));

    for (const [k, key] of keys.entries()) {
      // Each step in publishing order: the fold throws on a gap, so a reordering would park, not apply.
      expect(await fixture.applied(key, 9)).toEqual({
        id: key,
        version: 9,
        label: key,
        total: amounts(k).reduce((s, a) => s + a, 0),
        steps: amounts(k),
      });
    }
    expect([...(await runner.parkedKeys.parkedAmong(keys))]).toEqual([]);
    // One fact per CounterAdded, keyed by its event id.
    const facts = await fixture.facts();
    expect(facts.map((f) => f.id).sort()).toEqual(
      histories.flatMap((h) => h.slice(1).map((m) => m.headers.eventId)).sort(),
    );

    await caughtUp(runner.groupId);
    // Keys spread over the partitions; the lag the runner reports per partition is 0 once through.
    const lag = (await fixture.metrics.lag.get()).values.filter(
      (v) => v.labels.projection === fixture.projection.name,
    );
    expect(lag.length).toBeGreaterThan(1);
    expect(lag.every((v) => v.value === 0)).toBe(true);
    expect(runner.totalLag).toBe(0);
  });

  it('applies a redelivered event once: the same messages again, and a second reader of the whole topic, change nothing', async () => {
    const key = randomUUID();
    const history = await fixture.history(key, [5, 7]);
    await fixture.send(...history);
    const before = await fixture.applied(key, 3);
    expect(before).toMatchObject({ total: 12, steps: [5, 7] });
    const duplicatesBefore = await counted('duplicate');

    // The relay redelivers (same key, value and headers), then the next event follows.
    await fixture.send(...history);
    await fixture.send(await fixture.message(key, 4, { type: 'CounterAdded', data: { amount: 11 } }));
    expect(await fixture.applied(key, 4)).toEqual({ ...before, version: 4, total: 23, steps: [5, 7, 11] });
    expect(await counted('duplicate')).toBe(duplicatesBefore + 3);
    expect(await fixture.facts(key)).toHaveLength(3);

    // A second reader (another group) folds the whole topic again into the same index.
    await caughtUp(runner.groupId);
    const documents = await fixture.documents();
    const facts = await fixture.facts();
    const applies = await counted('applied');
    const rereader = fixture.runner({ groupId: `it.reread.${fixture.suffix}` });
    await rereader.start();
    await caughtUp(rereader.groupId);
    await rereader.stop();
    expect(await counted('applied')).toBe(applies);
    expect(await fixture.documents()).toEqual(documents);
    expect(await fixture.facts()).toEqual(facts);
    expect([...(await runner.parkedKeys.parkedAmong(documents.map((d) => d.id)))]).toEqual([]);
  });
});
