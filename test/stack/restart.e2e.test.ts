import { randomUUID } from 'node:crypto';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { Client as Postgres } from 'pg';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { down, status, up } from '../../stack/stack';
import { elasticsearchClient } from '../../services/shared/elasticsearch/elasticsearch-client';

const config = infrastructureConfig();
const kafka = new Kafka({
  clientId: 'restart-smoke',
  brokers: config.KAFKA_BROKERS.split(','),
  logLevel: logLevel.NOTHING,
});

/**
 * `stack down` + `stack up` must keep every component's data: a topic's messages, a
 * schema id that those messages carry, an indexed document and a table's rows.
 */
describe('native stack restart', () => {
  it('keeps topics, schema ids, documents and tables across down + up', async () => {
    const suffix = randomUUID();
    const topic = `smoke.restart.${suffix}`;
    const index = `smoke-restart-${suffix}`;
    const table = `smoke_restart_${suffix.replace(/-/g, '')}`;
    const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });

    // Before: write to each component.
    const { id: schemaId } = await registry.register(
      {
        type: SchemaType.AVRO,
        schema: JSON.stringify({
          type: 'record',
          name: `Restart${suffix.replace(/-/g, '')}`,
          fields: [{ name: 'propertyId', type: 'string' }],
        }),
      },
      { subject: `${topic}-value` },
    );
    const encoded = await registry.encode(schemaId, { propertyId: 'p-restart' });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'p-restart', value: encoded }] });
    await producer.disconnect();

    const es = elasticsearchClient(config.ELASTICSEARCH_URL);
    await es.index({ index, id: 'p-restart', document: { city: 'Utrecht' }, refresh: 'wait_for' });
    await es.close();

    const pg = new Postgres({ connectionString: config.DATABASE_URL });
    await pg.connect();
    await pg.query(`CREATE TABLE ${table} (id text primary key)`);
    await pg.query(`INSERT INTO ${table} VALUES ('p-restart')`);
    await pg.end();

    // Restart the whole stack.
    await down();
    expect((await status()).every((component) => component.state === 'stopped')).toBe(true);
    await up({ quiet: true });

    // After: everything is still there. A fresh registry client has no cached schemas.
    const freshRegistry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
    const consumer = kafka.consumer({ groupId: `restart-${suffix}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const value = await new Promise<Buffer>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.value ?? Buffer.alloc(0)) });
    });
    await consumer.disconnect();
    expect(value.readInt32BE(1)).toBe(schemaId);
    expect(await freshRegistry.decode(value)).toEqual({ propertyId: 'p-restart' });

    const esAfter = elasticsearchClient(config.ELASTICSEARCH_URL);
    const doc = await esAfter.get<{ city: string }>({ index, id: 'p-restart' });
    expect(doc._source).toEqual({ city: 'Utrecht' });
    await esAfter.indices.delete({ index });
    await esAfter.close();

    const pgAfter = new Postgres({ connectionString: config.DATABASE_URL });
    await pgAfter.connect();
    const { rows } = await pgAfter.query(`SELECT id FROM ${table}`);
    await pgAfter.query(`DROP TABLE ${table}`);
    await pgAfter.end();
    expect(rows).toEqual([{ id: 'p-restart' }]);
  }, 600_000);
});
