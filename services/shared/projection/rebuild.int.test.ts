import { randomUUID } from 'node:crypto';
import {
  CounterFixture,
  testRunnerOptions,
  type CounterDocument,
} from '../../../test/support/counter-projection';
import { waitFor, waitForValue } from '../../../test/support/wait-for';
import { consumerGroupLag } from './consumer-lag';
import type { ProjectionRunner } from './projection-runner';
import { rebuildProjection } from './rebuild';

/**
 * A rebuild of the test-only counter projection against the real broker and Elasticsearch,
 * beside its live runner: the fresh indices must hold what the live fold holds.
 */
const fixture = new CounterFixture('rebuild', 3);
let runner: ProjectionRunner<CounterDocument>;

beforeAll(async () => {
  await fixture.open();
  runner = fixture.runner();
  await runner.start();
});

afterAll(() => fixture.close());

function applied(id: string, version: number, index?: string): Promise<CounterDocument> {
  let last: CounterDocument | undefined;
  return waitForValue(
    () => `${id} at v${version} (has v${last?.version ?? 'none'})`,
    async () => {
      last = await fixture.document(id, index);
      return last && last.version >= version ? last : undefined;
    },
  );
}

async function caughtUp(): Promise<void> {
  let behind = -1;
  await waitFor(
    () => `the live runner to commit everything (${behind} behind)`,
    async () => {
      const lag = await consumerGroupLag(fixture.admin, runner.groupId, [fixture.topic]);
      return (behind = lag.reduce((s, p) => s + p.lag, 0)) === 0;
    },
    { pollMs: 100 },
  );
}

/** The physical indices behind an alias. */
async function behindAlias(alias: string): Promise<string[]> {
  return Object.keys(await fixture.es.indices.getAlias({ name: alias }));
}

describe('rebuildProjection', () => {
  it('builds the live fold’s documents and facts into new indices, swaps the aliases to them and deletes the old ones', async () => {
    const keys = Array.from({ length: 5 }, () => randomUUID());
    const histories = await Promise.all(
      keys.map((key, k) => fixture.history(key, [k, 10 + k, 20 + k].slice(0, k))),
    );
    const messages = histories.flat();
    await fixture.sendAll(messages);
    // A redelivery, as the relay may make: folded once, live and in the rebuild.
    await fixture.sendAll(histories[4] ?? []);
    for (const [k, key] of keys.entries()) await applied(key, 1 + Math.min(k, 3));
    await caughtUp();
    const documents = await fixture.documents();
    const facts = await fixture.facts();
    expect(documents).toHaveLength(5);
    expect(facts.length).toBeGreaterThan(0);
    const [oldIndex] = await behindAlias(fixture.projection.alias);
    const [oldFacts] = await behindAlias(`${fixture.projection.alias}-facts`);

    const report = await rebuildProjection(
      fixture.deps,
      fixture.admin,
      fixture.projection,
      testRunnerOptions,
    );

    expect(report).toMatchObject({
      oldIndex,
      documents: 5,
      events: messages.length + (histories[4]?.length ?? 0),
    });
    expect(report.newIndex).not.toBe(oldIndex);
    expect(await behindAlias(fixture.projection.alias)).toEqual([report.newIndex]);
    const [newFacts] = await behindAlias(`${fixture.projection.alias}-facts`);
    expect(newFacts).not.toBe(oldFacts);
    expect(
      await fixture.es.indices.exists({ index: [oldIndex, oldFacts].filter((i) => i !== undefined) }),
    ).toBe(false);
    expect(await fixture.documents()).toEqual(documents);
    expect(await fixture.facts()).toEqual(facts);
    // Its reader's group is gone.
    const groups = (await fixture.admin.listGroups()).groups.map((g) => g.groupId);
    expect(groups.filter((g) => g.startsWith(`rebuild.${fixture.projection.name}`))).toEqual([]);

    // The live runner writes through the alias, into the new index, from now on.
    const [key] = keys;
    await fixture.send(
      await fixture.message(key as string, 2, { type: 'CounterAdded', data: { amount: 5 } }),
    );
    expect(await applied(key as string, 2, report.newIndex)).toMatchObject({ total: 5 });
  });

  // FAILS today (a bug, see the report): the rebuild's reader shares the live projection's
  // parking (ParkedKeys is per projection name), so every message of a parked aggregate, its
  // first included, is parked behind again instead of being folded; the aggregate's document
  // vanishes from the read model at the alias swap, and its DLQ gains copies of every message.
  it('keeps the document of a parked aggregate as the live fold has it', async () => {
    const [stuck, fine] = [randomUUID(), randomUUID()];
    fixture.poisoned.add(`${stuck}@2`);
    await fixture.sendAll([...(await fixture.history(stuck, [1, 2])), ...(await fixture.history(fine, [3]))]);
    await applied(fine, 2);
    await waitFor(
      `${stuck} parked`,
      async () => (await runner.parkedKeys.get(stuck))?.doc.parkedMessages === 2,
    );
    await caughtUp();
    const live = await fixture.documents();
    expect(live.find((d) => d.id === stuck)).toMatchObject({ version: 1 });

    await rebuildProjection(fixture.deps, fixture.admin, fixture.projection, testRunnerOptions);

    expect(await fixture.documents()).toEqual(live);
    expect((await runner.parkedKeys.get(stuck))?.doc.parkedMessages).toBe(2);
  });
});
