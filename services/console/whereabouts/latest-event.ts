import type { UpstreamName } from '../console-config';
import { upstreamJson } from '../upstream';
import { eventPage, versioned } from './upstream-answers';

/** A property's latest version as the event store committed it. */
export interface LatestEvent {
  version: number;
  /** Null when the property service lists no event at that version. */
  eventType: string | null;
  /** ISO 8601; now when no event is listed, so the lag of the read models still counts from somewhere. */
  committedAt: string;
}

/** Asks the property service (with the operator's token) for the property and its latest event. */
export async function latestEventOf(
  deps: { upstreams: Record<UpstreamName, string>; token: string },
  propertyId: string,
): Promise<LatestEvent> {
  const id = encodeURIComponent(propertyId);
  const state = versioned.parse(
    await upstreamJson('property', deps.upstreams.property, `/properties/${id}`, { token: deps.token }),
  );
  const page = eventPage.parse(
    await upstreamJson(
      'property',
      deps.upstreams.property,
      `/properties/${id}/events?after=${state.version - 1}&limit=1`,
      { token: deps.token },
    ),
  );
  const latest = page.events[0];
  return {
    version: state.version,
    eventType: latest?.type ?? null,
    committedAt: latest?.occurredAt ?? new Date().toISOString(),
  };
}
