import type { KafkaMessage } from 'kafkajs';
import { auditRowOf, UnauditableMessageError } from './audit-entry';

function message(headers: Record<string, string>, key = 'p-1'): KafkaMessage {
  return {
    key: Buffer.from(key),
    value: Buffer.from([0, 0, 0, 0, 1]),
    offset: '42',
    timestamp: '0',
    attributes: 0,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

const relayHeaders = {
  eventId: 'e-1',
  eventType: 'PropertyReserved',
  aggregateVersion: '5',
  occurredAt: '2026-12-07T10:00:00.000Z',
  correlationId: 'tx-1',
  causationId: 'cmd-1',
  actor: 'buyer-subject',
};

describe('an audit row', () => {
  it('keeps who, what, on which aggregate, when and in which conversation, from the headers alone', () => {
    expect(auditRowOf('property.events', 3, message(relayHeaders))).toEqual({
      message_id: 'e-1',
      kind: 'event',
      topic: 'property.events',
      kafka_partition: 3,
      kafka_offset: '42',
      aggregate_type: 'property',
      aggregate_id: 'p-1',
      sequence: 5,
      type: 'PropertyReserved',
      actor: 'buyer-subject',
      correlation_id: 'tx-1',
      causation_id: 'cmd-1',
      occurred_at: '2026-12-07T10:00:00.000Z',
    });
  });

  it('tells saga commands and replies from events by their topic', () => {
    expect(auditRowOf('payment.commands', 0, message(relayHeaders))).toMatchObject({
      kind: 'command',
      aggregate_type: 'payment',
    });
    expect(auditRowOf('title.replies', 0, message(relayHeaders))).toMatchObject({
      kind: 'reply',
      aggregate_type: 'title',
    });
  });

  it('records a message sent on no one’s behalf with no actor', () => {
    const { actor: _actor, causationId: _causation, ...system } = relayHeaders;
    expect(auditRowOf('property.events', 0, message(system))).toMatchObject({
      actor: null,
      causation_id: null,
    });
  });

  it('refuses a message without the relay headers, naming where it is', () => {
    const { correlationId: _c, ...incomplete } = relayHeaders;
    expect(() => auditRowOf('property.events', 1, message(incomplete))).toThrow(UnauditableMessageError);
    expect(() => auditRowOf('property.events', 1, message(incomplete))).toThrow('property.events[1]@42');
    expect(() => auditRowOf('property.events', 1, message({ ...relayHeaders, occurredAt: 'soon' }))).toThrow(
      /not an instant/,
    );
    // Date.parse reads "1" as the year 2001; Postgres would refuse it and stall the batch.
    expect(() => auditRowOf('property.events', 1, message({ ...relayHeaders, occurredAt: '1' }))).toThrow(
      /not an instant/,
    );
  });
});
