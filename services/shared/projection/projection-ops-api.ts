import { z } from 'zod';
import { jsonResponse, problemResponse, type ApiOperation } from '../http/openapi/api-description';

/** One DLQ message of a parked aggregate (see describeParked). */
export const parkedMessageSchema = z.strictObject({
  aggregateId: z.string(),
  dlqPartition: z.number().int(),
  dlqOffset: z.string(),
  eventType: z.string().optional(),
  aggregateVersion: z.string().optional(),
  reason: z.string().optional(),
  error: z.string().optional(),
  original: z.string().meta({ description: '"<topic>/<partition>@<offset>" it was parked from.' }),
});

/** GET /ops/projection: the projector as an operator sees it. */
export const projectionStatusSchema = z.strictObject({
  projection: z.string(),
  group: z.string().meta({ description: 'Its Kafka consumer group.' }),
  alias: z.string(),
  index: z
    .string()
    .nullable()
    .meta({ description: 'The physical index behind the alias (null before the first start).' }),
  lastRebuildAt: z
    .string()
    .nullable()
    .meta({ description: 'When that index was created: the last rebuild (or the first start).' }),
  documents: z.number().int(),
  lag: z.number().int().meta({ description: 'Messages this process has not applied yet (its partitions).' }),
  parked: z.array(
    z.strictObject({
      aggregateId: z.string(),
      parkedAt: z.string(),
      parkedMessages: z.number().int(),
      lastError: z.string(),
      messages: z.array(parkedMessageSchema),
    }),
  ),
});

/** POST /ops/projection/parked/:aggregateId/replay (see ReplayResult). */
export const replayResultSchema = z.strictObject({
  aggregateId: z.string(),
  replayed: z.number().int().meta({ description: 'DLQ messages applied; parking is lifted.' }),
});

export const parkedAggregateId = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(200, 'at most 200 characters');

const opsOnly = problemResponse('The token lacks the ops role (rule `projection-ops-only`).');
const noToken = problemResponse('No bearer token, or a refused one.', {
  'WWW-Authenticate': { description: 'The Bearer challenge (RFC 6750).', required: true },
});

/** The operations every read model serves for operators (the `ops` role), beside its query API. */
export const projectionOpsOperations: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/ops/projection',
    operationId: 'getProjectionStatus',
    summary:
      "The projector's index, last rebuild, documents, lag and parked aggregates with their DLQ messages",
    token: 'required',
    roles: ['ops'],
    responses: {
      200: jsonResponse('The projection now.', projectionStatusSchema),
      401: noToken,
      403: opsOnly,
    },
  },
  {
    method: 'post',
    path: '/ops/projection/parked/:aggregateId/replay',
    operationId: 'replayParkedAggregate',
    summary: "Re-drives a parked aggregate's DLQ messages in order and lifts its parking",
    token: 'required',
    roles: ['ops'],
    params: { aggregateId: parkedAggregateId },
    responses: {
      200: jsonResponse('Replayed; the aggregate flows again.', replayResultSchema),
      400: problemResponse('Invalid aggregate id.'),
      401: noToken,
      403: opsOnly,
      404: problemResponse('The aggregate is not parked.'),
      409: problemResponse('A message still fails; it stays parked (`detail` says why).'),
    },
  },
];
