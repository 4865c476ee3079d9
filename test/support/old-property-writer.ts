import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { outboxRows } from '../../services/shared/outbox/outbox-writer';
import type { PropertyInternals } from '../../services/property/property-service';

const goldenFile = path.resolve(
  __dirname,
  '../../services/property/published/schemas/golden/PropertyListed.v1.json',
);

/** The golden v1 PropertyListed payload: what the v1 service wrote (with another property id). */
export async function goldenListedV1(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(goldenFile, 'utf8')) as Record<string, unknown>;
}

/**
 * Lists a property as the v1 service did: the v1 JSON in the events table (schema version 1)
 * and v1 Avro in the outbox row of the same transaction, so it is relayed to Kafka and
 * projected like the real old events. Returns the property's id.
 */
export async function listAsV1Service(service: PropertyInternals): Promise<string> {
  const id = randomUUID();
  const eventId = randomUUID();
  const payload = { ...(await goldenListedV1()), propertyId: id };
  const avroV1 = await service.codec.encode('PropertyListed', 1, payload);
  const occurredAt = new Date();
  await service.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('events')
      .values({
        event_id: eventId,
        stream_id: id,
        stream_type: 'property',
        version: 1,
        event_type: 'PropertyListed',
        schema_version: 1,
        payload: JSON.stringify(payload),
        metadata: JSON.stringify({
          eventId,
          correlationId: 'golden',
          causationId: null,
          traceparent: null,
          actor: null,
        }),
        occurred_at: occurredAt,
      })
      .execute();
    await trx
      .insertInto('outbox')
      .values(
        outboxRows([
          {
            id: eventId,
            aggregateType: 'property',
            aggregateId: id,
            type: 'PropertyListed',
            payload: avroV1,
            eventId,
            aggregateVersion: 1,
            correlationId: 'golden',
            causationId: null,
            traceparent: null,
            actor: null,
            occurredAt,
          },
        ]),
      )
      .execute();
  });
  return id;
}
