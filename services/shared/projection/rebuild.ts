import { projectionTopics } from './projection';
import type { Client } from '@elastic/elasticsearch';
import type { Admin } from 'kafkajs';
import { consumerGroupLag } from './consumer-lag';
import type { RefreshIntervals } from './document-store';
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
  const topics = projectionTopics(projection);
  const probe = new ProjectionRunner(deps, projection, options);
  await probe.store.ensureIndex(options.refresh);
  const aliases = { documents: projection.alias, facts: probe.store.factsAlias };
  const oldIndex = await aliasTarget(deps.es, aliases.documents);
  const oldFacts = projection.facts ? await aliasTarget(deps.es, aliases.facts) : undefined;
  const target = await probe.store.createPhysicalIndices({ documents: '-1', facts: '-1' });
  progress(
    `building ${target.index}${target.factsIndex ? ` and ${target.factsIndex}` : ''} from the beginning of ${topics.join(', ')}`,
  );

  const groupId = `rebuild.${projection.name}.${target.index}`;
  const events = await messagesOn(admin, topics);
  const rebuilder = new ProjectionRunner(deps, projection, { ...options, groupId, target });
  await rebuilder.start();
  try {
    await caughtUp(admin, groupId, topics, progress);
    await serveFromRebuilt(
      deps.es,
      aliases,
      { index: oldIndex, factsIndex: oldFacts },
      target,
      options.refresh,
    );
    progress(`alias ${projection.alias} → ${target.index}`);
    // Events the live runner wrote to the old index just before the swap reach the new one through this reader.
    await caughtUp(admin, groupId, topics, progress);
  } finally {
    await rebuilder.stop();
  }
  await admin.deleteGroups([groupId]).catch(() => undefined);
  const toDelete = [oldIndex, oldFacts].filter((i): i is string => Boolean(i));
  if (toDelete.length > 0) await deps.es.indices.delete({ index: toDelete });
  const documents = (await deps.es.count({ index: target.index })).count;
  return { oldIndex, newIndex: target.index, documents, events, seconds: (Date.now() - began) / 1000 };
}

/** A projection's physical indices: its documents', and its facts' if it keeps facts. */
interface Indices {
  index: string | undefined;
  factsIndex?: string | undefined;
}

/** The physical index an alias points at, undefined if there is no such alias. */
async function aliasTarget(es: Client, alias: string): Promise<string | undefined> {
  return Object.keys(await es.indices.getAlias({ name: alias }, { ignore: [404] })).filter(
    (k) => k !== 'error' && k !== 'status',
  )[0];
}

/** How many messages the topics hold now: the rebuild's share of the report. */
async function messagesOn(admin: Admin, topics: readonly string[]): Promise<number> {
  let events = 0;
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) events += Number(BigInt(p.high) - BigInt(p.low));
  }
  return events;
}

/** Waits until the rebuild's consumer group has no lag left on the topics, saying how much is left each second. */
async function caughtUp(
  admin: Admin,
  groupId: string,
  topics: string[],
  progress: (message: string) => void,
): Promise<void> {
  for (;;) {
    const lag = (await consumerGroupLag(admin, groupId, topics)).reduce((sum, p) => sum + p.lag, 0);
    if (lag === 0) return;
    progress(`${lag} messages to go`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * Turns the rebuilt indices into the live ones: their refresh as the live indices have it
 * (bulk loading ran with refresh off), everything searchable, then the aliases moved.
 */
async function serveFromRebuilt(
  es: Client,
  aliases: { documents: string; facts: string },
  old: Indices,
  rebuilt: { index: string; factsIndex?: string },
  refresh: RefreshIntervals,
): Promise<void> {
  await es.indices.putSettings({ index: rebuilt.index, settings: { refresh_interval: refresh.documents } });
  if (rebuilt.factsIndex)
    await es.indices.putSettings({
      index: rebuilt.factsIndex,
      settings: { refresh_interval: refresh.facts },
    });
  await es.indices.refresh({
    index: [rebuilt.index, rebuilt.factsIndex].filter((i): i is string => Boolean(i)),
  });
  // One request: readers never see the alias pointing at nothing or at both.
  await es.indices.updateAliases({
    actions: [
      ...(old.index ? [{ remove: { index: old.index, alias: aliases.documents } }] : []),
      { add: { index: rebuilt.index, alias: aliases.documents, is_write_index: true } },
      ...(old.factsIndex ? [{ remove: { index: old.factsIndex, alias: aliases.facts } }] : []),
      ...(rebuilt.factsIndex
        ? [{ add: { index: rebuilt.factsIndex, alias: aliases.facts, is_write_index: true } }]
        : []),
    ],
  });
}
