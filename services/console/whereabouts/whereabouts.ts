import type { Kafka } from 'kafkajs';
import type { z } from 'zod';
import type { UpstreamName } from '../console-config';
import type { whereaboutsSchema } from '../api/console-schemas';
import { kafkaPositionOf } from './kafka-position';
import { latestEventOf } from './latest-event';
import { heldVersions, readModelLags } from './read-model-versions';

export type Whereabouts = z.output<typeof whereaboutsSchema>;

/**
 * "Where is my event?": a property's latest version as the event store committed it, the
 * Kafka message that carries it (partition, offset, timestamp), and the version each read
 * model holds now, with how far behind it is.
 */
export async function whereaboutsOf(
  deps: { kafka: Kafka; upstreams: Record<UpstreamName, string>; token: string },
  propertyId: string,
): Promise<Whereabouts> {
  const latest = await latestEventOf(deps, propertyId);
  const { position, kafkaError } = await kafkaPositionOf(deps.kafka, propertyId, latest);
  const held = await heldVersions(deps.upstreams, propertyId);
  const now = Date.now();
  return {
    propertyId,
    version: latest.version,
    eventType: latest.eventType,
    committedAt: latest.committedAt,
    kafka: position
      ? { ...position, relayLagMs: Date.parse(position.timestamp) - Date.parse(latest.committedAt) }
      : null,
    kafkaError,
    readModels: readModelLags(held, latest, now),
    checkedAt: new Date(now).toISOString(),
  };
}
