import { randomUUID } from 'node:crypto';
import { marketAnalyticsProjection } from '../../services/analytics/projections/market-analytics-projection';
import { propertySearchProjection } from '../../services/search/projections/property-search-projection';
import { parkedMessages } from '../../services/shared/projection/dlq-replay';
import { header } from '../../services/shared/kafka/relayed-message';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { faultsUnderLoad } from '../support/fault-under-load';
import { kafka } from '../support/pipeline';
import { waitForValue } from '../support/wait-for';

// Two processes of every service, as the cluster profile runs them.
const survivesUnderLoad = faultsUnderLoad(2);

/** The id the registry gave a schema of `property.events`: a header that decodes, as a real one would. */
async function propertyEventSchemaId(): Promise<number> {
  const registry = infrastructureConfig().SCHEMA_REGISTRY_URL;
  const subjects = (await (await fetch(`${registry}/subjects`)).json()) as string[];
  const subject = subjects.find((name) => name.startsWith('property.events-'));
  if (!subject) throw new Error('no schema of property.events in the registry');
  const latest = await fetch(`${registry}/subjects/${encodeURIComponent(subject)}/versions/latest`);
  return ((await latest.json()) as { id: number }).id;
}

/**
 * Two messages that are not valid Avro on the busiest partition: bytes without the wire
 * format, and a real schema's header followed by a record cut off in its first field.
 */
async function corruptedMessages(): Promise<Array<{ key: string; value: Buffer }>> {
  const schemaId = Buffer.alloc(4);
  schemaId.writeInt32BE(await propertyEventSchemaId());
  return [
    { key: randomUUID(), value: Buffer.from('not avro at all') },
    { key: randomUUID(), value: Buffer.concat([Buffer.from([0]), schemaId, Buffer.from([0x80])]) },
  ];
}

describe('the cluster profile under a steady command load', () => {
  it('a corrupted message on property.events is parked with its reason; the partition keeps flowing', async () => {
    const corrupted = await corruptedMessages();
    const sentAt: Array<{ partition: number; offset: string }> = [];
    await survivesUnderLoad('corrupted messages on property.events[0]', async () => {
      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      try {
        const downAt = Date.now();
        const [sent] = await producer.send({
          topic: 'property.events',
          acks: -1,
          messages: corrupted.map(({ key, value }) => ({
            key,
            value,
            partition: 0,
            headers: { eventId: randomUUID(), eventType: 'PriceChanged', aggregateVersion: '1' },
          })),
        });
        sentAt.push({ partition: sent!.partition, offset: sent!.baseOffset! });
        return { downAt, backAt: Date.now() };
      } finally {
        await producer.disconnect();
      }
    });
    // Every command accepted around them was projected (checked above); each projection parked both.
    for (const projection of [propertySearchProjection, marketAnalyticsProjection]) {
      for (const [index, { key, value }] of corrupted.entries()) {
        const [parked] = await waitForValue(
          `${projection.name} to park ${key}`,
          async () => {
            const found = await parkedMessages(kafka, projection, key);
            return found.length > 0 ? found : undefined;
          },
          { timeoutMs: 60_000, pollMs: 500 },
        );
        expect(header(parked!.message, 'dlqReason')).toBe('undecodable');
        expect(header(parked!.message, 'dlqError')).toBeTruthy();
        expect(header(parked!.message, 'dlqOriginalPartition')).toBe('0');
        expect(header(parked!.message, 'dlqOriginalOffset')).toBe(
          String(BigInt(sentAt[0]!.offset) + BigInt(index)),
        );
        expect(parked!.message.value).toEqual(value);
      }
    }
  }, 900_000);
});
