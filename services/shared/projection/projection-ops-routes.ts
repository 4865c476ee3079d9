import type { Client } from '@elastic/elasticsearch';
import type { Request, Router } from 'express';
import type { Kafka } from 'kafkajs';
import type { z } from 'zod';
import type { EventDecoder } from '../codec/event-decoder';
import { requireRole } from '../http/caller';
import { HttpProblem } from '../http/problem';
import { parseOr400 } from '../http/validation';
import { describeParked, parkedMessages, replayAggregate } from './dlq-replay';
import {
  parkedAggregateId,
  type projectionStatusSchema,
  type replayResultSchema,
} from './projection-ops-api';
import type { ProjectionRunner } from './projection-runner';
import type { VersionedDocument } from './projection';

export interface ProjectionOpsDeps<D extends VersionedDocument> {
  es: Client;
  kafka: Kafka;
  decoder: EventDecoder;
  runner: ProjectionRunner<D>;
}

const OPS_RULE = 'projection-ops-only';

/**
 * What an operator needs of a read model, over HTTP (the `ops` role): its index and last
 * rebuild, lag, and parked aggregates with their DLQ messages; and the replay of one parked
 * aggregate. The same operations as `npm run projections -- status | dlq list | dlq replay`.
 * Added to the read model's own router (the route coverage check sees only a router's own routes).
 */
export function addProjectionOpsRoutes<D extends VersionedDocument>(
  router: Router,
  deps: ProjectionOpsDeps<D>,
): Router {
  const { runner, es } = deps;
  const projection = runner.projection;

  router.get('/ops/projection', async (req, res) => {
    requireRole(req, OPS_RULE, 'ops');
    const indices = await es.indices.get({ index: projection.alias }, { ignore: [404] });
    const [index, about] =
      Object.entries(indices).find(([name]) => name !== 'error' && name !== 'status') ?? [];
    const created = about?.settings?.index?.creation_date;
    const documents = index === undefined ? 0 : (await es.count({ index: projection.alias })).count;
    const parked = await runner.parkedKeys.list();
    // Reading the DLQ costs a throwaway consumer: only when something is parked.
    const messages =
      parked.length > 0 ? (await parkedMessages(deps.kafka, projection)).map(describeParked) : [];
    res.json({
      projection: projection.name,
      group: runner.groupId,
      alias: projection.alias,
      index: index ?? null,
      lastRebuildAt: created === undefined ? null : new Date(Number(created)).toISOString(),
      documents,
      lag: runner.totalLag,
      parked: parked.map((key) => ({
        aggregateId: key.aggregateId,
        parkedAt: key.parkedAt,
        parkedMessages: key.parkedMessages,
        lastError: key.lastError,
        messages: messages.filter((m) => m.aggregateId === key.aggregateId),
      })),
    } satisfies z.output<typeof projectionStatusSchema>);
  });

  router.post(
    '/ops/projection/parked/:aggregateId/replay',
    async (req: Request<{ aggregateId: string }>, res) => {
      requireRole(req, OPS_RULE, 'ops');
      const aggregateId = parseOr400(parkedAggregateId, req.params.aggregateId, 'path.aggregateId');
      if (!(await runner.parkedKeys.get(aggregateId))) {
        throw HttpProblem.notFound(`a parked aggregate ${aggregateId} of ${projection.name}`);
      }
      const result = await replayAggregate(
        { kafka: deps.kafka, decoder: deps.decoder, store: runner.store, parkedKeys: runner.parkedKeys },
        projection,
        aggregateId,
      );
      if (result.failed !== undefined) {
        throw new HttpProblem(409, 'Still parked', result.failed, { aggregateId });
      }
      res.json({ aggregateId, replayed: result.replayed } satisfies z.output<typeof replayResultSchema>);
    },
  );
  return router;
}
