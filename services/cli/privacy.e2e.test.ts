import { randomUUID } from 'node:crypto';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { sql, type Kysely } from 'kysely';
import { migrate } from '../../migrations/migrator';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { createDatabase } from '../shared/db/database';
import { createKafka } from '../shared/kafka/kafka-client';
import { ErasureEvidenceStore } from '../shared/privacy/erasure-evidence-store';
import { KEYSTORE_SCHEMA, type KeystoreTables } from '../shared/privacy/keystore-tables';
import { masterKeyOf, privacyConfig } from '../shared/privacy/privacy-config';
import { runPrivacyCli } from './privacy-cli';
import { elasticsearchClient } from '../shared/elasticsearch/elasticsearch-client';

/**
 * verify-erased over one throwaway place per component: it must name all three while the
 * value is readable, and pass once none holds it. (The scanners' int tests show that the
 * default scope, everything, lists such places; a run over the shared stack takes minutes.)
 */
const config = infrastructureConfig();
const run = randomUUID().replaceAll('-', '').slice(0, 12);
const schema = `privacy_verify_${run}`;
const topic = `privacy-verify-test.${run}`;
const index = `privacy-verify-test-${run}`;
const subject = `person-${run}`;
const email = `verify.${run}@example.org`;
const licence = `VRF-${run.slice(0, 6).toUpperCase()}-77`;
const registrySubject = `privacy-verify-test-${run}-value`;

const kafka = createKafka(config.KAFKA_BROKERS, 'privacy-verify-test');
const es = elasticsearchClient(config.ELASTICSEARCH_URL);
const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
let db: Kysely<unknown>;

const scope = ['--table', `${schema}.people`, '--topic', topic, '--index', index];

beforeAll(async () => {
  db = createDatabase<unknown>({ connectionString: config.DATABASE_URL, maxConnections: 2 });
  await migrate(db, 'keystore', 'latest');
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(db);
  await sql`CREATE TABLE ${sql.id(schema, 'people')} (id text PRIMARY KEY, profile jsonb)`.execute(db);
  await sql`INSERT INTO ${sql.id(schema, 'people')} VALUES ('p1', ${JSON.stringify({ contact: email, licence })}), ('p2', '{}')`.execute(
    db,
  );

  const { id } = await registry.register(
    {
      type: SchemaType.AVRO,
      schema: JSON.stringify({
        type: 'record',
        name: 'VerifyTest',
        namespace: 'dev.deedstream.test',
        fields: [{ name: 'agentLicence', type: 'string' }],
      }),
    },
    { subject: registrySubject },
  );
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      { key: 'a', value: await registry.encode(id, { agentLicence: 'none' }) },
      { key: 'b', value: await registry.encode(id, { agentLicence: licence }) },
    ],
  });
  await producer.disconnect();

  await es.index({ index, id: 'doc-1', document: { agent: { email: email.toUpperCase() } } });
  await es.index({ index, id: 'doc-2', document: { agent: { email: 'someone.else@example.org' } } });

  await new ErasureEvidenceStore(db, masterKeyOf(privacyConfig())).record(subject, [
    { field: 'email', kind: 'email', value: email },
    { field: 'licenceNumber', kind: 'identifier', value: licence },
  ]);
});

afterAll(async () => {
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
  await (db as Kysely<KeystoreTables>)
    .withSchema(KEYSTORE_SCHEMA)
    .deleteFrom('erasure_evidence')
    .where('subject_id', '=', subject)
    .execute();
  await db.destroy();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  await es.indices.delete({ index }, { ignore: [404] });
  await es.close();
  for (const suffix of ['', '?permanent=true']) {
    await fetch(`${config.SCHEMA_REGISTRY_URL}/subjects/${registrySubject}${suffix}`, { method: 'DELETE' });
  }
});

describe('npm run privacy -- verify-erased', () => {
  it('names every place a former value given on the command line is readable, and exits 1', () => {
    const { status, out } = runPrivacyCli([
      'verify-erased',
      '--value',
      email,
      '--identifier',
      licence,
      ...scope,
    ]);
    expect(status).toBe(1);
    expect(out).toContain(
      `READABLE postgres ${schema}.people row id=p1 profile.contact: --value #1 (email)\n`,
    );
    expect(out).toContain(
      `READABLE postgres ${schema}.people row id=p1 profile.licence: --identifier #1 (identifier)\n`,
    );
    expect(out).toMatch(
      new RegExp(
        `READABLE kafka topic ${topic.replaceAll('.', '\\.')} partition 0 offset 1 value\\.\\(avro\\)\\.agentLicence: --identifier #1 \\(identifier\\)\\n`,
      ),
    );
    expect(out).toContain(
      `READABLE elasticsearch index ${index} document doc-1 _source.agent.email: --value #1 (email)\n`,
    );
    expect(out).toContain('searched postgres: 2 rows in 1 tables');
    expect(out).toContain('searched kafka: 2 messages in 1 topics');
    expect(out).toContain('searched elasticsearch: 2 documents in 1 indices');
    expect(out).not.toContain(email);
  });

  it('checks against the evidence kept at erasure when given the subject id', () => {
    const { status, out } = runPrivacyCli(['verify-erased', subject, ...scope]);
    expect(status).toBe(1);
    expect(out).toContain(
      `READABLE elasticsearch index ${index} document doc-1 _source.agent.email: email (email)\n`,
    );
    expect(out).toContain(
      `READABLE postgres ${schema}.people row id=p1 profile.licence: licenceNumber (identifier)\n`,
    );
    // The Kafka message twice: its raw bytes as text, and its decoded Avro field.
    expect(out).toContain(`${subject}: 5 place(s) with a former value readable`);
  });

  it('exits 0 once no copy holds the value any more', async () => {
    await sql`UPDATE ${sql.id(schema, 'people')} SET profile = '{"erased": true}' WHERE id = 'p1'`.execute(
      db,
    );
    const admin = kafka.admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '-1' }] });
    await admin.disconnect();
    await es.delete({ index, id: 'doc-1', refresh: true });

    const { status, out } = runPrivacyCli(['verify-erased', subject, '--value', email, ...scope]);
    expect(out).toContain(
      `${subject}: 0 place(s) with a former value readable, 0 with a word of a former name`,
    );
    expect(out).toContain('searched kafka: 0 messages in 1 topics');
    expect(status).toBe(0);
  });
});
