import type { z } from 'zod';
import { messageOf } from '../../shared/errors/message-of';
import type { whereaboutsSchema } from '../api/console-schemas';
import type { UpstreamName } from '../console-config';
import { callUpstream } from '../upstream';
import type { LatestEvent } from './latest-event';
import { versioned } from './upstream-answers';

/** The read models that hold a copy of each property, and where each answers for one. */
const readModels = [
  { name: 'search', service: 'search', path: (id: string) => `/search/properties/${encodeURIComponent(id)}` },
  {
    name: 'analytics',
    service: 'analytics',
    path: (id: string) => `/analytics/properties/${encodeURIComponent(id)}`,
  },
] as const satisfies ReadonlyArray<{ name: string; service: UpstreamName; path: (id: string) => string }>;

type ReadModel = (typeof readModels)[number];

/** The version one read model holds; null if it holds none, with why if it could not be asked. */
export interface HeldVersion {
  version: number | null;
  error: string | null;
}

export type ReadModelLag = z.output<typeof whereaboutsSchema>['readModels'][number];

/** The version each read model holds now, in the order of `readModels`. */
export function heldVersions(
  upstreams: Record<UpstreamName, string>,
  propertyId: string,
): Promise<HeldVersion[]> {
  return Promise.all(readModels.map((model) => heldBy(model, upstreams, propertyId)));
}

/** How far behind the latest version each read model is, `now` (ms since the epoch). */
export function readModelLags(
  held: readonly HeldVersion[],
  latest: LatestEvent,
  now: number,
): ReadModelLag[] {
  return readModels.map((model, i) => lagOf(model, held[i] ?? { version: null, error: null }, latest, now));
}

/** Read models are open to all: asked without a token, and briefly (one slow one must not hold up the page). */
async function heldBy(
  model: ReadModel,
  upstreams: Record<UpstreamName, string>,
  propertyId: string,
): Promise<HeldVersion> {
  try {
    const answer = await callUpstream(model.service, upstreams[model.service], model.path(propertyId), {
      timeoutMs: 5_000,
    });
    if (answer.status === 404) return { version: null, error: null };
    if (answer.status !== 200)
      return { version: null, error: `${model.service} answered HTTP ${answer.status}` };
    return { version: versioned.parse(JSON.parse(answer.body)).version, error: null };
  } catch (error) {
    return { version: null, error: messageOf(error) };
  }
}

function lagOf(
  model: ReadModel,
  { version, error }: HeldVersion,
  latest: LatestEvent,
  now: number,
): ReadModelLag {
  const behind = latest.version - (version ?? 0);
  return {
    name: model.name,
    version,
    behindVersions: behind,
    caughtUp: behind <= 0,
    behindForMs: behind <= 0 ? 0 : now - Date.parse(latest.committedAt),
    error,
  };
}
