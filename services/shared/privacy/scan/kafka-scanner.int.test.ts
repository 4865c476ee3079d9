import { randomUUID } from 'node:crypto';
import avro from 'avsc';
import { infrastructureConfig } from '../../service/infrastructure';
import { createKafka } from '../../kafka/kafka-client';
import { ErasureMatcher } from '../erasure-fingerprint';
import { describeFinding } from './finding';
import { scannableTopics, scanTopics } from './kafka-scanner';
import { ValueProbe, type WireFormatDecoder } from './value-probe';

const kafka = createKafka(infrastructureConfig().KAFKA_BROKERS, 'privacy-scan-test');
const run = randomUUID();
const topic = `privacy-scan-test.${run}`;
const dlq = `${topic}.dlq`;
const name = `Ottilie Wrenfield-${run.slice(0, 6)}`;
const email = `o.wrenfield.${run.slice(0, 8)}@example.org`;
const matcher = ErasureMatcher.forPlainValues([
  { field: 'name', kind: 'name', value: name },
  { field: 'email', kind: 'email', value: email },
]);

const avroType = avro.Type.forSchema({
  type: 'record',
  name: 'Agent',
  fields: [{ name: 'agentName', type: 'string' }],
});
const decoder: WireFormatDecoder = async (bytes) => avroType.fromBuffer(bytes.subarray(5));
const wire = (record: object) => Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), avroType.toBuffer(record)]);

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 3 },
      { topic: dlq, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      ...Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: wire({ agentName: `Agent ${i}` }) })),
      { key: 'avro', value: wire({ agentName: name }), partition: 1 },
      { key: 'header', value: 'plain', headers: { correlationId: `from ${email}` }, partition: 2 },
    ],
  });
  await producer.send({ topic: dlq, messages: [{ key: email, value: `{"note":"${name}"}` }] });
  await producer.disconnect();
});

afterAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic, dlq] });
  await admin.disconnect();
});

describe('Kafka scanner', () => {
  it('lists every topic, DLQs included, but not the internal ones', async () => {
    const topics = await scannableTopics(kafka);
    expect(topics).toEqual(expect.arrayContaining([topic, dlq]));
    expect(topics.filter((t) => t.startsWith('__'))).toEqual([]);
  });

  it('finds planted values in Avro values, headers and keys, from the beginning to the end', async () => {
    const summary = await scanTopics(kafka, [topic, dlq], new ValueProbe(matcher, decoder));
    expect(summary.scanned).toBe(303);
    const found = summary.findings.map(describeFinding);
    const place = (t: string) =>
      expect.stringMatching(
        new RegExp(`^kafka topic ${t.replaceAll('.', '\\.')} partition \\d+ offset \\d+ `),
      );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ partition 1 offset \d+ value\.\(avro\)\.agentName: name \(name\)$/),
        expect.stringMatching(/ partition 2 offset \d+ header correlationId: email \(email\)$/),
        `kafka topic ${dlq} partition 0 offset 0 key: email (email)`,
        `kafka topic ${dlq} partition 0 offset 0 value: name (name)`,
      ]),
    );
    for (const finding of found) expect(finding).toEqual(expect.not.stringContaining(email));
    expect(found.every((f) => place(topic).asymmetricMatch(f) || place(dlq).asymmetricMatch(f))).toBe(true);
  });

  it('reports a topic that no longer exists as unread', async () => {
    const gone = `privacy-scan-test.gone.${run}`;
    const summary = await scanTopics(kafka, [gone], new ValueProbe(matcher));
    expect(summary).toEqual({ findings: [], scanned: 0, unread: [`kafka topic ${gone}: no longer exists`] });
  });
});
