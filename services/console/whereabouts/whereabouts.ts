import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import { propertyTopic } from '../../property/published/topics';
import type { UpstreamName } from '../console-config';
import { callUpstream, upstreamJson } from '../upstream';
import type { whereaboutsSchema } from '../api/console-schemas';
import { locateEvent, type KafkaPosition } from './locate-event';
import { messageOf } from '../../shared/errors/message-of';

export type Whereabouts = z.output<typeof whereaboutsSchema>;

/** The read models that hold a copy of each property, and where each answers for one. */
const readModels = [
  { name: 'search', service: 'search', path: (id: string) => `/search/properties/${encodeURIComponent(id)}` },
  {
    name: 'analytics',
    service: 'analytics',
    path: (id: string) => `/analytics/properties/${encodeURIComponent(id)}`,
  },
] as const satisfies ReadonlyArray<{ name: string; service: UpstreamName; path: (id: string) => string }>;

/** The parts of the property and read-model answers this reads (their documents say the rest). */
const versioned = z.looseObject({ version: z.number().int() });
const eventPage = z.looseObject({
  events: z.array(z.looseObject({ type: z.string(), occurredAt: z.string(), version: z.number().int() })),
});

/** Positions found are final (topics keep their history): remembered, a bounded number. */
const found = new Map<string, KafkaPosition>();

/**
 * "Where is my event?": a property's latest version as the event store committed it, the
 * Kafka message that carries it (partition, offset, timestamp), and the version each read
 * model holds now, with how far behind it is.
 */
export async function whereaboutsOf(
  deps: { kafka: Kafka; upstreams: Record<UpstreamName, string>; token: string },
  propertyId: string,
): Promise<Whereabouts> {
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
  const committedAt = latest?.occurredAt ?? new Date().toISOString();

  const key = `${propertyId}@${state.version}`;
  let position = found.get(key);
  let kafkaError: string | null = null;
  if (!position) {
    try {
      position = await locateEvent(deps.kafka, {
        topic: propertyTopic,
        aggregateId: propertyId,
        version: state.version,
        committedAt: new Date(committedAt),
      });
      if (position) {
        if (found.size >= 10_000) found.delete(found.keys().next().value ?? '');
        found.set(key, position);
      }
    } catch (error) {
      kafkaError = messageOf(error);
    }
  }

  const held = await Promise.all(
    readModels.map(async (model) => {
      try {
        const answer = await callUpstream(
          model.service,
          deps.upstreams[model.service],
          model.path(propertyId),
          {
            timeoutMs: 5_000,
          },
        );
        if (answer.status === 404) return { version: null, error: null };
        if (answer.status !== 200)
          return { version: null, error: `${model.service} answered HTTP ${answer.status}` };
        return { version: versioned.parse(JSON.parse(answer.body)).version, error: null };
      } catch (error) {
        return { version: null, error: messageOf(error) };
      }
    }),
  );
  const now = Date.now();
  return {
    propertyId,
    version: state.version,
    eventType: latest?.type ?? null,
    committedAt,
    kafka: position
      ? { ...position, relayLagMs: Date.parse(position.timestamp) - Date.parse(committedAt) }
      : null,
    kafkaError,
    readModels: readModels.map((model, i) => {
      const { version, error } = held[i] ?? { version: null, error: null };
      const behind = state.version - (version ?? 0);
      return {
        name: model.name,
        version,
        behindVersions: behind,
        caughtUp: behind <= 0,
        behindForMs: behind <= 0 ? 0 : now - Date.parse(committedAt),
        error,
      };
    }),
    checkedAt: new Date(now).toISOString(),
  };
}
