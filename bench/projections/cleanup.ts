import { parkingIndex } from '../../services/shared/projection/parked-keys';
import type { ProjectionRunner } from '../../services/shared/projection/projection-runner';
import type { Context, Doc } from './context';

/**
 * Removes everything the run wrote beside the events (which stay, as every event does): the
 * isolated projection's indices, its consumer group and the keys it parked.
 */
export async function cleanup(ctx: Context, runner: ProjectionRunner<Doc>): Promise<void> {
  await runner.stop().catch(() => undefined);
  const { es } = ctx.deps;
  const aliased = Object.keys(await es.indices.getAlias({ name: ctx.projection.alias }, { ignore: [404] }));
  const indices = [...new Set([...ctx.created, ...aliased])].filter(
    (i) => i !== 'error' && i !== 'status' && i.startsWith(ctx.projection.alias),
  );
  if (indices.length > 0) await es.indices.delete({ index: indices }, { ignore: [404] });
  await ctx.admin.deleteGroups([runner.groupId]).catch(() => undefined);
  // Parking documents written moments ago are not searchable yet: refresh first. This
  // Elasticsearch has no _delete_by_query, so they are deleted by id.
  await es.indices.refresh({ index: parkingIndex }, { ignore: [404] }).catch(() => undefined);
  const parked = await es
    .search({
      index: parkingIndex,
      size: 10_000,
      _source: false,
      query: { term: { projection: ctx.projection.name } },
    })
    .catch(() => undefined);
  const ids = parked?.hits.hits.flatMap((hit) => (hit._id ? [hit._id] : [])) ?? [];
  if (ids.length > 0)
    await es.bulk({
      refresh: true,
      operations: ids.map((id) => ({ delete: { _index: parkingIndex, _id: id } })),
    });
}
