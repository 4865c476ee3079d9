import { projectionTopics } from './projection';
import type { Admin } from 'kafkajs';
import { consumerGroupLag } from './consumer-lag';
import { ProjectionRunner, type RunnerDeps, type RunnerOptions } from './projection-runner';
import type { Projection, VersionedDocument } from './projection';

export interface RebuildReport {
  oldIndex: string | undefined;
  newIndex: string;
  documents: number;
  /** Messages on the topics when the rebuild started. */
  events: number;
  seconds: number;
}

/**
 * Rebuilds a projection without downtime: a second consumer group reads the topics from
 * the beginning into fresh physical indices (refresh off while bulk loading) while the
 * live index keeps serving; once caught up, one alias update swaps reads and writes to
 * the new indices, the rebuild reader drains what arrived meanwhile, and the old indices
 * are deleted.
 */
export async function rebuildProjection<D extends VersionedDocument>(
  deps: RunnerDeps,
  admin: Admin,
  projection: Projection<D>,
  options: RunnerOptions,
  progress: (message: string) => void = () => undefined,
): Promise<RebuildReport> {
  const began = Date.now();
  const probe = new ProjectionRunner(deps, projection, options);
  await probe.store.ensureIndex(options.refresh);
  const aliasOf = async (alias: string) =>
    Object.keys(await deps.es.indices.getAlias({ name: alias }, { ignore: [404] })).filter(
      (k) => k !== 'error' && k !== 'status',
    )[0];
  const oldIndex = await aliasOf(projection.alias);
  const oldFacts = projection.facts ? await aliasOf(probe.store.factsAlias) : undefined;
  const target = await probe.store.createPhysicalIndices({ documents: '-1', facts: '-1' });
  progress(
    `building ${target.index}${target.factsIndex ? ` and ${target.factsIndex}` : ''} from the beginning of ${projectionTopics(projection).join(', ')}`,
  );

  const groupId = `rebuild.${projection.name}.${target.index}`;
  let events = 0;
  for (const topic of projectionTopics(projection)) {
    for (const p of await admin.fetchTopicOffsets(topic)) events += Number(BigInt(p.high) - BigInt(p.low));
  }
  const rebuilder = new ProjectionRunner(deps, projection, { ...options, groupId, target });
  await rebuilder.start();
  const caughtUp = async () => {
    for (;;) {
      const lag = (await consumerGroupLag(admin, groupId, projectionTopics(projection))).reduce(
        (sum, p) => sum + p.lag,
        0,
      );
      if (lag === 0) return;
      progress(`${lag} messages to go`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };
  try {
    await caughtUp();
    await deps.es.indices.putSettings({
      index: target.index,
      settings: { refresh_interval: options.refresh.documents },
    });
    if (target.factsIndex)
      await deps.es.indices.putSettings({
        index: target.factsIndex,
        settings: { refresh_interval: options.refresh.facts },
      });
    await deps.es.indices.refresh({
      index: [target.index, target.factsIndex].filter((i): i is string => Boolean(i)),
    });
    // One request: readers never see the alias pointing at nothing or at both.
    await deps.es.indices.updateAliases({
      actions: [
        ...(oldIndex ? [{ remove: { index: oldIndex, alias: projection.alias } }] : []),
        { add: { index: target.index, alias: projection.alias, is_write_index: true } },
        ...(oldFacts ? [{ remove: { index: oldFacts, alias: probe.store.factsAlias } }] : []),
        ...(target.factsIndex
          ? [{ add: { index: target.factsIndex, alias: probe.store.factsAlias, is_write_index: true } }]
          : []),
      ],
    });
    progress(`alias ${projection.alias} → ${target.index}`);
    // Events the live runner wrote to the old index just before the swap reach the new one through this reader.
    await caughtUp();
  } finally {
    await rebuilder.stop();
  }
  await admin.deleteGroups([groupId]).catch(() => undefined);
  const toDelete = [oldIndex, oldFacts].filter((i): i is string => Boolean(i));
  if (toDelete.length > 0) await deps.es.indices.delete({ index: toDelete });
  const documents = (await deps.es.count({ index: target.index })).count;
  return { oldIndex, newIndex: target.index, documents, events, seconds: (Date.now() - began) / 1000 };
}
