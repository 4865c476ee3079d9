import { z } from 'zod';
import { infrastructureSchema } from '../service/infrastructure';

/** An Elasticsearch refresh_interval: how soon writes become searchable, at a segment per refresh. */
export const refreshIntervalVariable = (fallback: string, description: string) =>
  z
    .string()
    .regex(/^\d+(ms|s)$/, 'a duration such as 250ms or 1s')
    .default(fallback)
    .describe(description);

/** Settings every projector and query API shares; services extend it with their port. */
export const projectionConfigSchema = infrastructureSchema.extend({
  PROJECTION_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(5000)
    .default(500)
    .describe('messages per Elasticsearch bulk request'),
  PROJECTION_BATCH_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000)
    .default(50)
    .describe(
      'a projector fetches again at most this often: under load what arrives meanwhile is written in one batch; the first message after a quiet spell is taken at once',
    ),
  PROJECTION_PARTITIONS_CONCURRENTLY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(12)
    .describe('partitions whose batches are processed at once'),
  PROJECTION_REFRESH_INTERVAL: refreshIntervalVariable(
    '250ms',
    'refresh_interval of the live document index: how soon writes become searchable',
  ),
  PROJECTION_INDEX_SHARDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe(
      'primary shards of each index a projector makes (fixed per index: a change applies at the next rebuild)',
    ),
  PROJECTION_INDEX_REPLICAS: z.coerce
    .number()
    .int()
    .min(0)
    .max(5)
    .default(0)
    .describe(
      'replicas of each shard of the read-model indices: 0 on one Elasticsearch node, 1 or more on a cluster (applies at the next start)',
    ),
  PROJECTION_FACTS_REFRESH_INTERVAL: refreshIntervalVariable(
    '1s',
    'refresh_interval of the facts indices (market statistics): each refresh costs a new segment',
  ),
  PROJECTION_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(15_000)
    .describe('cap of the retry backoff on transient failures'),
  CONSISTENCY_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(5_000)
    .describe('read-your-writes: longest wait for a consistency token'),
});

export type ProjectionConfig = z.infer<typeof projectionConfigSchema>;
