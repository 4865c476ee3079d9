import type { RequestHandler } from 'express';
import { z } from 'zod';
import { messageOf } from '../../shared/errors/message-of';
import { upstreamNames, type UpstreamName } from '../console-config';
import { relayStatuses } from '../pipeline/relay-status';
import { callUpstream, upstreamJson } from '../upstream';
import type { ConsoleApiDeps } from './console-api-deps';
import { opsCredentialOf } from './console-credentials';
import type { pipelineSchema } from './console-schemas';

/** The parts of a service's /health/ready answer the pipeline shows. */
const readinessAnswer = z.looseObject({ checks: z.record(z.string(), z.string()).optional() });
const jsonObject = z.looseObject({});

/** GET /api/console/pipeline: the services' readiness, the relays, the projections and consumer lag. */
export function pipelineStatus(deps: ConsoleApiDeps): RequestHandler {
  return async (req, res) => {
    const { token } = await opsCredentialOf(deps.sessions, req);
    const [services, relays, projections] = await Promise.all([
      Promise.all(upstreamNames.map((name) => serviceReadiness(name, deps.upstreams[name]))),
      relayStatuses(deps.db, deps.connect),
      Promise.all(
        (['search', 'analytics'] as const).map((service) =>
          projectionStatus(service, deps.upstreams[service], token),
        ),
      ),
    ]);
    res.json({
      checkedAt: new Date().toISOString(),
      services,
      relays,
      projections,
      consumerLag: { sampleMs: deps.lagHistory.sampleMs, samples: deps.lagHistory.history() },
    } satisfies z.output<typeof pipelineSchema>);
  };
}

/** Whether a service answers ready, and the checks it names; one that cannot be asked is unreachable. */
async function serviceReadiness(name: UpstreamName, url: string) {
  try {
    const answer = await callUpstream(name, url, '/health/ready', { timeoutMs: 3_000 });
    const body = readinessAnswer.parse(JSON.parse(answer.body));
    return {
      name,
      url,
      ready: answer.status === 200 ? ('ready' as const) : ('unavailable' as const),
      checks: body.checks ?? {},
    };
  } catch {
    return { name, url, ready: 'unreachable' as const, checks: {} };
  }
}

/** A read model's projection status as its service reports it, or why it could not be had. */
async function projectionStatus(service: 'search' | 'analytics', url: string, token: string) {
  try {
    const status = jsonObject.parse(await upstreamJson(service, url, '/ops/projection', { token }));
    return { service, status, error: null };
  } catch (error) {
    return { service, status: null, error: messageOf(error) };
  }
}
