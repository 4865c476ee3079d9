import { now, withMachineCpu } from '../support/measure';
import type { Context, Doc } from './context';
import type { ThroughputReport } from './projector-phase';

export interface BaselineReport {
  index: string;
  documents: number;
  requests: number;
  seconds: number;
  documentsPerSecond: number;
  /** documents/s × (events / documents) of the projector's run. */
  eventsEquivalentPerSecond: number;
  machineCpuBusy: number;
}

async function allDocuments(ctx: Context): Promise<Array<{ id: string; doc: Doc }>> {
  const out: Array<{ id: string; doc: Doc }> = [];
  let after: Array<string | number> | undefined;
  for (;;) {
    const page = await ctx.deps.es.search<Doc>({
      index: ctx.projection.alias,
      size: 10_000,
      sort: [{ id: 'asc' }],
      ...(after ? { search_after: after } : {}),
    });
    const hits = page.hits.hits;
    for (const hit of hits) if (hit._id && hit._source) out.push({ id: hit._id, doc: hit._source });
    if (hits.length < 10_000) return out;
    after = hits[hits.length - 1]?.sort as Array<string | number>;
  }
}

/**
 * What writing the projector's final documents costs with no decoding or folding: plain
 * `_bulk` requests of them into a fresh index with the same mappings. The projector's
 * events/s against this (in events-equivalent/s) is the ratio the issue asks about.
 */
export async function baselinePhase(
  ctx: Context,
  projector: ThroughputReport,
  progress: (text: string) => void,
): Promise<BaselineReport> {
  const { deps, projection, options } = ctx;
  const documents = await allDocuments(ctx);
  const index = `${projection.alias}-plain`;
  ctx.created.add(index);
  await deps.es.indices.create({
    index,
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: projection.mappings,
  });
  progress(`baseline: ${documents.length} documents into ${index}, ${options.batchSize} per _bulk…`);
  let requests = 0;
  const { result: seconds, machineCpuBusy } = await withMachineCpu(async () => {
    const start = now();
    for (let i = 0; i < documents.length; i += options.batchSize) {
      const operations = documents
        .slice(i, i + options.batchSize)
        .flatMap(({ id, doc }) => [{ index: { _index: index, _id: id } }, doc]);
      const response = await deps.es.bulk({ operations });
      requests++;
      if (response.errors) throw new Error(`baseline bulk request ${requests} had item errors`);
    }
    return (now() - start) / 1000;
  });
  const documentsPerSecond = documents.length / seconds;
  return {
    index,
    documents: documents.length,
    requests,
    seconds,
    documentsPerSecond,
    eventsEquivalentPerSecond: documentsPerSecond * (projector.events / Math.max(1, projector.documents)),
    machineCpuBusy,
  };
}
