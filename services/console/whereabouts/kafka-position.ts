import type { Kafka } from 'kafkajs';
import { propertyTopic } from '../../property/published/topics';
import { messageOf } from '../../shared/errors/message-of';
import { locateEvent, type KafkaPosition } from './locate-event';
import type { LatestEvent } from './latest-event';

/** Positions found are final (topics keep their history): remembered, a bounded number. */
const found = new Map<string, KafkaPosition>();

/** Where a version is on Kafka, or why that could not be found out (the rest of the answer still stands). */
export interface KafkaLookup {
  position: KafkaPosition | undefined;
  kafkaError: string | null;
}

/** The Kafka message that carries a property's latest version, searched once and then remembered. */
export async function kafkaPositionOf(
  kafka: Kafka,
  propertyId: string,
  latest: LatestEvent,
): Promise<KafkaLookup> {
  const key = `${propertyId}@${latest.version}`;
  const known = found.get(key);
  if (known) return { position: known, kafkaError: null };
  try {
    const position = await locateEvent(kafka, {
      topic: propertyTopic,
      aggregateId: propertyId,
      version: latest.version,
      committedAt: new Date(latest.committedAt),
    });
    if (position) remember(key, position);
    return { position, kafkaError: null };
  } catch (error) {
    return { position: undefined, kafkaError: messageOf(error) };
  }
}

function remember(key: string, position: KafkaPosition): void {
  if (found.size >= 10_000) found.delete(found.keys().next().value ?? '');
  found.set(key, position);
}
