import { publicAgentCard, type PropertyEvent } from '../../property/published';
import type { RecordedEvent } from '../../shared/domain/domain-event';
import type { FieldCipher } from '../../shared/privacy/field-cipher';

/** One event as an export row; `data` is its payload at its newest schema. */
export interface EventRow {
  position: number;
  eventId: string;
  propertyId: string;
  version: number;
  type: string;
  occurredAt: Date;
  actor: string | null;
  correlationId: string;
  data: unknown;
}

/**
 * An event as a training set may hold it. The listing agent's card is the one the public
 * sees: the name decrypted while the agent's key lives, absent (null, `erased: true`) once
 * they were erased; email and phone are never exported.
 */
export async function eventRow(
  recorded: RecordedEvent<PropertyEvent>,
  cipher: FieldCipher,
): Promise<EventRow> {
  const { event } = recorded;
  let data: unknown = event.data;
  if (event.type === 'PropertyListed') {
    data = { ...event.data, listingAgent: await publicAgentCard(cipher, event.data.listingAgent) };
  }
  return {
    position: Number(recorded.position),
    eventId: recorded.eventId,
    propertyId: recorded.streamId,
    version: recorded.version,
    type: event.type,
    occurredAt: recorded.occurredAt,
    actor: recorded.metadata.actor,
    correlationId: recorded.metadata.correlationId,
    data,
  };
}
