import { randomUUID } from 'node:crypto';
import { Client as Elasticsearch } from '@elastic/elasticsearch';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { sql, type Kysely } from 'kysely';
import { waitFor } from '../../../test/support/wait-for';
import { infrastructureConfig } from '../service/infrastructure';
import { createDatabase } from '../db/database';
import { isTransient } from './transient';

/**
 * The unit tests build each library's errors by hand; these make the real components and
 * clients fail as they do in production, so a change in how a client reports a failure
 * (another class, message or wrapper) shows here. Nothing listens on port 1.
 */
const config = infrastructureConfig();
const unreachable = (url: string) => url.replace(/:\d+/, ':1');

/** The rejection of `work`, which must fail. */
async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the work to fail');
}

describe('isTransient on real failures', () => {
  describe('Postgres', () => {
    const applicationName = `transient-it-${randomUUID()}`;
    let db: Kysely<unknown>;
    let admin: Kysely<unknown>;
    beforeAll(() => {
      db = createDatabase({ connectionString: config.DATABASE_URL, maxConnections: 2, applicationName });
      admin = createDatabase({ connectionString: config.DATABASE_URL, maxConnections: 1 });
    });
    afterAll(async () => {
      await db.destroy();
      await admin.destroy();
    });

    it('retries a statement cancelled by statement_timeout (57014)', async () => {
      const error = await failureOf(() =>
        db.transaction().execute(async (trx) => {
          await sql`SET LOCAL statement_timeout = '20ms'`.execute(trx);
          await sql`SELECT pg_sleep(2)`.execute(trx);
        }),
      );
      expect(error).toMatchObject({ code: '57014' });
      expect(isTransient(error)).toBe(true);
    });

    it('retries a query whose backend is terminated, as in a server restart (57P01)', async () => {
      // A pool of its own: the terminated connection must not be handed to the next test.
      const victimName = `transient-it-victim-${randomUUID()}`;
      const victim = createDatabase({
        connectionString: config.DATABASE_URL,
        maxConnections: 1,
        applicationName: victimName,
      });
      try {
        const failure = failureOf(() => sql`SELECT pg_sleep(10)`.execute(victim));
        const sleeper = async () =>
          (
            await sql<{ pid: number }>`
              SELECT pid FROM pg_stat_activity
              WHERE application_name = ${victimName} AND state = 'active'`.execute(admin)
          ).rows[0]?.pid;
        await waitFor('the query to run', async () => (await sleeper()) !== undefined);
        await sql`SELECT pg_terminate_backend(${await sleeper()})`.execute(admin);
        const error = await failure;
        expect(error).toMatchObject({ code: '57P01' });
        expect(isTransient(error)).toBe(true);
      } finally {
        await victim.destroy();
      }
    });

    it('retries a server that refuses connections', async () => {
      const down = createDatabase({ connectionString: unreachable(config.DATABASE_URL), maxConnections: 1 });
      try {
        const error = await failureOf(() => sql`SELECT 1`.execute(down));
        expect(error).toMatchObject({ code: 'ECONNREFUSED' });
        expect(isTransient(error)).toBe(true);
      } finally {
        await down.destroy();
      }
    });

    it('does not retry an error in the statement (division by zero)', async () => {
      const error = await failureOf(() => sql`SELECT 1 / 0`.execute(db));
      expect(error).toMatchObject({ code: '22012' });
      expect(isTransient(error)).toBe(false);
    });
  });

  describe('schema registry', () => {
    it('retries a registry that refuses connections', async () => {
      const down = new SchemaRegistry({ host: unreachable(config.SCHEMA_REGISTRY_URL) });
      const error = await failureOf(() => down.decode(Buffer.from([0, 0, 0, 0, 1, 2])));
      expect(isTransient(error)).toBe(true);
    });

    it('does not retry a schema id the registry does not know', async () => {
      const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
      const error = await failureOf(() => registry.decode(Buffer.from([0, 0x7f, 0xff, 0xff, 0x00, 2])));
      expect(error).toMatchObject({ status: 404 });
      expect(isTransient(error)).toBe(false);
    });
  });

  describe('Kafka', () => {
    it('retries a broker that refuses connections, once kafkajs gave up', async () => {
      const kafka = new Kafka({
        clientId: 'transient-it',
        brokers: [unreachable(config.KAFKA_BROKERS.split(',')[0] ?? '')],
        logLevel: logLevel.NOTHING,
        retry: { retries: 1, initialRetryTime: 10 },
      });
      const producer = kafka.producer();
      const error = await failureOf(() => producer.connect());
      expect(error).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded' });
      expect(isTransient(error)).toBe(true);
    });
  });

  describe('Elasticsearch', () => {
    it('retries a node that refuses connections', async () => {
      const es = new Elasticsearch({ node: unreachable(config.ELASTICSEARCH_URL), maxRetries: 0 });
      const error = await failureOf(() => es.info());
      expect(isTransient(error)).toBe(true);
      await es.close();
    });

    it('does not retry a missing index', async () => {
      const es = new Elasticsearch({ node: config.ELASTICSEARCH_URL, maxRetries: 0 });
      const error = await failureOf(() => es.get({ index: `missing-${randomUUID()}`, id: '1' }));
      expect(error).toMatchObject({ statusCode: 404 });
      expect(isTransient(error)).toBe(false);
      await es.close();
    });
  });
});
