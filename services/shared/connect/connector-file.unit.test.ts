import path from 'node:path';
import {
  connectorNames,
  loadConnector,
  resolveConnectorFile,
  templateStore,
  type TemplateStore,
} from './connector-file';

const repoConnectors = path.resolve(__dirname, '../../../connectors');

/** connectors/outbox-relay.json resolved: the template for schema relay, with every outbox of the database. */
const outboxRelay: Record<string, string> = {
  'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
  'tasks.max': '1',
  'database.hostname': '${env:DEEDSTREAM_PG_HOST}',
  'database.port': '${env:DEEDSTREAM_PG_PORT}',
  'database.user': '${env:DEEDSTREAM_PG_USER}',
  'database.password': '${env:DEEDSTREAM_PG_PASSWORD}',
  'database.dbname': '${env:DEEDSTREAM_PG_DATABASE}',
  'plugin.name': 'pgoutput',
  'slot.name': 'deedstream_relay_outbox',
  'publication.name': 'deedstream_relay_outbox',
  'publication.autocreate.mode': 'disabled',
  'table.include.list':
    'relay.debezium_heartbeat,property.outbox,people.outbox,transaction.outbox,payment.outbox,contract.outbox,title.outbox',
  'topic.prefix': 'deedstream.relay',
  'snapshot.mode': 'initial',
  'tombstones.on.delete': 'false',
  'heartbeat.interval.ms': '10000',
  'heartbeat.action.query':
    'INSERT INTO relay.debezium_heartbeat (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at',
  'poll.interval.ms': '50',
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'io.debezium.converters.BinaryDataConverter',
  'value.converter.delegate.converter.type': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.delegate.converter.type.schemas.enable': 'false',
  predicates: 'isOutboxRow,isHeartbeatRow',
  'predicates.isOutboxRow.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
  'predicates.isOutboxRow.pattern': 'deedstream\\.relay\\.[a-z][a-z0-9_]*\\.outbox',
  'predicates.isHeartbeatRow.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
  'predicates.isHeartbeatRow.pattern': 'deedstream\\.relay\\.relay\\.debezium_heartbeat',
  transforms: 'dropHeartbeatRows,outbox',
  'transforms.dropHeartbeatRows.type': 'org.apache.kafka.connect.transforms.Filter',
  'transforms.dropHeartbeatRows.predicate': 'isHeartbeatRow',
  'transforms.outbox.type': 'io.debezium.transforms.outbox.EventRouter',
  'transforms.outbox.predicate': 'isOutboxRow',
  'transforms.outbox.route.by.field': 'aggregatetype',
  'transforms.outbox.route.topic.regex': '(?<routedByValue>[^.]+)',
  'transforms.outbox.route.topic.replacement': '${routedByValue}.events',
  'transforms.outbox.table.field.event.id': 'id',
  'transforms.outbox.table.field.event.key': 'aggregateid',
  'transforms.outbox.table.field.event.payload': 'payload',
  'transforms.outbox.table.fields.additional.placement':
    'event_id:header:eventId,type:header:eventType,aggregate_version:header:aggregateVersion,correlation_id:header:correlationId,causation_id:header:causationId,traceparent:header:traceparent,actor:header:actor,occurred_at:header:occurredAt',
  'transforms.outbox.table.expand.json.payload': 'false',
  'transforms.outbox.route.tombstone.on.empty.payload': 'false',
};

describe('connector files in connectors/', () => {
  it('lists the outbox relay and the listing feeds, not topics.json or the templates folder', () => {
    expect(connectorNames(repoConnectors)).toEqual(['listing-feed-sample-mls', 'outbox-relay']);
  });

  it('resolves outbox-relay to the template for schema relay with every service outbox', () => {
    const definition = loadConnector('outbox-relay', repoConnectors);
    expect(definition.name).toBe('outbox-relay');
    expect(definition.file).toBe(path.join(repoConnectors, 'outbox-relay.json'));
    expect(definition.config).toEqual(outboxRelay);
    expect(JSON.stringify(definition.config)).not.toContain('{{');
  });

  it('captures the outbox of every service schema and no other table but its heartbeat', () => {
    const { config } = loadConnector('outbox-relay', repoConnectors);
    const pattern = new RegExp(`^${config['predicates.isOutboxRow.pattern']}$`);
    for (const service of ['property', 'people', 'transaction', 'payment', 'contract', 'title'])
      expect(pattern.test(`deedstream.relay.${service}.outbox`)).toBe(true);
    expect(pattern.test('deedstream.relay.relay.debezium_heartbeat')).toBe(false);
  });

  it('makes a relay of one schema whose name has digits (a service with a database of its own)', () => {
    const schema = 'slotrec_0c6ba13c';
    const { config } = resolveConnectorFile(
      'x.json',
      { name: 'x', template: 'outbox-relay', variables: { schema } },
      templateStore(repoConnectors),
    );
    expect(config['table.include.list']).toBe(`${schema}.outbox,${schema}.debezium_heartbeat`);
    const pattern = new RegExp(`^${config['predicates.isOutboxRow.pattern']}$`);
    expect(pattern.test(`deedstream.${schema}.${schema}.outbox`)).toBe(true);
  });
});

describe('outbox routing (Kafka RegexRouter: replaces only when the whole value matches)', () => {
  const { config } = loadConnector('outbox-relay', repoConnectors);
  // Java's (?<name>…) is JavaScript's too; RegexRouter uses Matcher.matches() + replaceFirst().
  const regex = new RegExp(`^(?:${config['transforms.outbox.route.topic.regex']})$`);
  const replacement = (config['transforms.outbox.route.topic.replacement'] ?? '').replace(
    /\$\{(\w+)\}/g,
    '$<$1>',
  );
  const route = (aggregateType: string) =>
    regex.test(aggregateType) ? aggregateType.replace(regex, replacement) : aggregateType;

  it.each([
    ['property', 'property.events'],
    ['payment', 'payment.events'],
    ['title_deed', 'title_deed.events'],
    ['payment.commands', 'payment.commands'],
    ['property.replies', 'property.replies'],
  ])('aggregatetype %s → topic %s', (aggregateType, topic) => {
    expect(route(aggregateType)).toBe(topic);
  });
});

describe('resolveConnectorFile', () => {
  const template = {
    $comment: 'test template',
    config: {
      'slot.name': 'deedstream_{{service}}_outbox',
      'table.include.list': '{{service}}.outbox,{{service}}.debezium_heartbeat',
      'topic.prefix': 'deedstream.{{service}}',
      'poll.interval.ms': '20',
      'transforms.outbox.route.topic.replacement': '${routedByValue}.events',
    },
  };
  const store = (templates: Record<string, unknown>): TemplateStore => ({
    where: (name) => `connectors/templates/${name}.json`,
    read: (name) => templates[name],
    names: () => Object.keys(templates).sort(),
  });
  const templates = store({ 'outbox-relay': template });
  const resolve = (raw: unknown, from: TemplateStore = templates) =>
    resolveConnectorFile('connectors/x-outbox.json', raw, from);
  const templated = (extra: Record<string, unknown> = {}) => ({
    name: 'x-outbox',
    template: 'outbox-relay',
    variables: { service: 'payment' },
    ...extra,
  });

  it('substitutes every token, keeps ${…} of Debezium and Connect, then lays the overrides over it', () => {
    expect(
      resolve(templated({ config: { 'poll.interval.ms': '250', 'slot.name': 'slot_{{service}}_2' } })),
    ).toEqual({
      name: 'x-outbox',
      config: {
        'slot.name': 'slot_payment_2',
        'table.include.list': 'payment.outbox,payment.debezium_heartbeat',
        'topic.prefix': 'deedstream.payment',
        'poll.interval.ms': '250',
        'transforms.outbox.route.topic.replacement': '${routedByValue}.events',
      },
    });
  });

  it('passes a full file through unchanged', () => {
    const full = { name: 'x-outbox', config: { 'slot.name': 'literal_{{not_a_token}}' } };
    expect(resolve(full)).toEqual(full);
  });

  it.each([
    [
      'a token without a variable',
      templated({ variables: {} }),
      'connectors/x-outbox.json: slot.name in template "outbox-relay" uses {{service}}, but "variables" has no "service"',
    ],
    [
      'a token in an override without a variable',
      templated({ config: { 'slot.name': '{{schema}}_slot' } }),
      'connectors/x-outbox.json: slot.name in the overrides uses {{schema}}, but "variables" has no "schema"',
    ],
    [
      'an unused variable',
      templated({ variables: { service: 'payment', region: 'eu' } }),
      'connectors/x-outbox.json: variable "region" is not used by template "outbox-relay" (nor by the overrides)',
    ],
    [
      'a missing template',
      templated({ template: 'no-such-template' }),
      'connectors/x-outbox.json: template "no-such-template" not found: no connectors/templates/no-such-template.json (known: outbox-relay)',
    ],
    [
      'a variable value unsafe in names, SQL or patterns',
      templated({ variables: { service: 'Pay.ment' } }),
      'connectors/x-outbox.json: variables.service: must match ^[a-z][a-z0-9_]*$ (lower-case letters, digits and "_")',
    ],
    [
      'an unknown key',
      templated({ overrides: {} }),
      'connectors/x-outbox.json: (root): Unrecognized key: "overrides"',
    ],
  ])('fails with one line naming the file and the problem: %s', (_case, raw, message) => {
    expect(() => resolve(raw)).toThrow(new Error(message));
  });

  it('names an unclosed token and an invalid template file', () => {
    const unclosed = store({ 'outbox-relay': { config: { 'slot.name': 'deedstream_{{service' } } });
    expect(() => resolve(templated(), unclosed)).toThrow(
      new Error(
        'connectors/x-outbox.json: slot.name in template "outbox-relay" has an unclosed "{{": "deedstream_{{service"',
      ),
    );
    const invalid = store({ 'outbox-relay': { config: { 'tasks.max': 1 } } });
    expect(() => resolve(templated(), invalid)).toThrow(
      new Error(
        'connectors/templates/outbox-relay.json: config.tasks.max: Invalid input: expected string, received number',
      ),
    );
  });
});
