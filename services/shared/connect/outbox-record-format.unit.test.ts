import path from 'node:path';
import { loadConnector } from './connector-file';
import { outboxRecordFormat } from './outbox-record-format';

const connectors = path.resolve(__dirname, '../../../connectors');
const format = outboxRecordFormat(loadConnector('outbox-relay', connectors).config);

const row = {
  id: '27211936-ee78-40ca-af3a-ad3faeefd1ba',
  aggregatetype: 'property',
  aggregateid: '52756c4e-d53b-4bb9-bd2c-bd47e8ac20d7',
  type: 'OfferReceived',
  payload: Buffer.from([0, 0, 0, 0, 7, 1, 2]),
  event_id: '27211936-ee78-40ca-af3a-ad3faeefd1ba',
  aggregate_version: 50,
  correlation_id: 'a9428779-db0f-493d-a434-17a34bb6a2f7',
  causation_id: null,
  traceparent: null,
  actor: 'f3b0c1de-buyer',
  occurred_at: '2026-12-01T02:06:19.298Z',
  created_at: new Date('2026-12-01T02:06:19.301Z'),
};

describe('outbox record format (from the connector config)', () => {
  it('routes like the connector: a plain aggregate type to <type>.events, a dotted one as is', () => {
    expect(format.topicFor('property')).toBe('property.events');
    expect(format.topicFor('payment.replies')).toBe('payment.replies');
  });

  it('builds the record the Outbox Event Router sends: key, bytes, id header and the configured headers', () => {
    expect(format.toRecord(row)).toEqual({
      topic: 'property.events',
      key: row.aggregateid,
      value: row.payload,
      id: row.id,
      headers: {
        id: row.id,
        eventId: row.event_id,
        eventType: 'OfferReceived',
        aggregateVersion: '50',
        correlationId: row.correlation_id,
        causationId: null,
        traceparent: null,
        actor: 'f3b0c1de-buyer',
        occurredAt: '2026-12-01T02:06:19.298Z',
      },
    });
  });

  it("uses Debezium's defaults where the config is silent, and Java's $n and ${name} in replacements", () => {
    const minimal = outboxRecordFormat({
      transforms: 'router',
      'transforms.router.type': 'io.debezium.transforms.outbox.EventRouter',
    });
    expect(minimal.topicFor('order')).toBe('outbox.event.order');
    const numbered = outboxRecordFormat({
      transforms: 'r',
      'transforms.r.type': 'io.debezium.transforms.outbox.EventRouter',
      'transforms.r.route.topic.regex': '(\\w+)',
      'transforms.r.route.topic.replacement': '$1.v1',
    });
    expect(numbered.topicFor('order')).toBe('order.v1');
    expect(numbered.topicFor('a.b')).toBe('a.b');
  });

  it('refuses what it cannot reproduce', () => {
    expect(() => outboxRecordFormat({ transforms: 'x', 'transforms.x.type': 'Other' })).toThrow(
      'no io.debezium.transforms.outbox.EventRouter transform',
    );
    expect(() =>
      outboxRecordFormat({
        transforms: 'r',
        'transforms.r.type': 'io.debezium.transforms.outbox.EventRouter',
        'transforms.r.table.fields.additional.placement': 'type:envelope:eventType',
      }),
    ).toThrow('"type:envelope:eventType" is not a header');
  });
});
