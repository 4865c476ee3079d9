import type { RequestHandler } from 'express';
import { parseOr400 } from '../../shared/http/validation';
import { callUpstream } from '../upstream';
import { whereaboutsOf } from '../whereabouts/whereabouts';
import type { ConsoleApiDeps } from './console-api-deps';
import { opsCredentialOf } from './console-credentials';
import { aggregateIdParam, propertyIdParam, readModelParam } from './console-schemas';

/** GET /api/console/whereabouts/:propertyId: where a property's latest event has got to. */
export function eventWhereabouts(deps: ConsoleApiDeps): RequestHandler<{ propertyId: string }> {
  const { sessions, kafka, upstreams } = deps;
  return async (req, res) => {
    const { token } = await opsCredentialOf(sessions, req);
    const propertyId = parseOr400(propertyIdParam, req.params.propertyId, 'path.propertyId');
    res.json(await whereaboutsOf({ kafka, upstreams, token }, propertyId));
  };
}

/** POST /api/console/projections/:service/parked/:aggregateId/replay: passed on to the read model. */
export function replayParked(deps: ConsoleApiDeps): RequestHandler<{ service: string; aggregateId: string }> {
  const { sessions, upstreams } = deps;
  return async (req, res) => {
    const { token } = await opsCredentialOf(sessions, req);
    const service = parseOr400(readModelParam, req.params.service, 'path.service');
    const aggregateId = parseOr400(aggregateIdParam, req.params.aggregateId, 'path.aggregateId');
    const answer = await callUpstream(
      service,
      upstreams[service],
      `/ops/projection/parked/${encodeURIComponent(aggregateId)}/replay`,
      { method: 'POST', token },
    );
    res.status(answer.status).type(answer.contentType).send(answer.body);
  };
}
