import type { Server } from 'node:http';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { sql, type Kysely } from 'kysely';
import { AvroEventCodec } from '../shared/codec/avro-event-codec';
import { createDatabase } from '../shared/db/database';
import { CommandRunner } from '../shared/event-sourcing/command-runner';
import { EventSourcedRepository } from '../shared/event-sourcing/repository';
import { PostgresEventStore } from '../shared/event-store/event-store';
import type { EventStoreTables } from '../shared/event-store/tables';
import { IdempotencyStore } from '../shared/http/idempotency';
import { createServiceApp } from '../shared/http/service-app';
import { createLogger, type Logger } from '../shared/observability/logger';
import { ServiceMetrics } from '../shared/observability/metrics';
import { deleteOutboxOlderThan } from '../shared/outbox/outbox-writer';
import { createKafka } from '../shared/kafka/kafka-client';
import type { MessagingTables } from '../shared/messaging/messaging-tables';
import { createParticipant, type Participant } from '../shared/messaging/participant';
import { propertyRoutes } from './api/property-routes';
import { propertyCommandHandlers } from './handlers/property-command-handlers';
import { loadPropertyCommandSchemas } from './messages/property-messages';
import { Property } from './domain/property';
import type { PropertyEvent } from './domain/property-events';
import type { PropertyConfig } from './property-config';
import { loadPropertyEventSchemas } from './schemas/property-schemas';

export const propertySchema = 'property';
export const propertyStreamType = 'property';
/** Debezium routes outbox rows by aggregatetype to `<aggregatetype>.events`. */
export const propertyTopic = 'property.events';

/** The property schema: its event store plus the saga's inbox. */
export type PropertyTables = EventStoreTables & MessagingTables;

export interface PropertyService {
  db: Kysely<EventStoreTables>;
  codec: AvroEventCodec;
  store: PostgresEventStore<PropertyEvent>;
  repository: EventSourcedRepository<PropertyEvent, Property>;
  /** The purchase saga's commands (reserve, release, mark sold) on `property.commands`. */
  participant: Participant;
  listen(port?: number): Promise<Server>;
  close(): Promise<void>;
  logger: Logger;
}

/** Wires the property service: its schema in Postgres, Avro codec, repository and HTTP API. */
export async function createPropertyService(config: PropertyConfig): Promise<PropertyService> {
  const logger = createLogger('property', config.LOG_LEVEL);
  const metrics = new ServiceMetrics('property');
  const db = createDatabase<EventStoreTables>({
    connectionString: config.DATABASE_URL,
    maxConnections: config.PROPERTY_DB_POOL,
    applicationName: 'deedstream-property',
  }).withSchema(propertySchema);
  const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
  const codec = new AvroEventCodec(registry, propertyTopic, await loadPropertyEventSchemas());
  const store = new PostgresEventStore<PropertyEvent>(propertyStreamType, codec);
  const repository = new EventSourcedRepository<PropertyEvent, Property>(db, store, (id) =>
    Property.empty(id),
  );
  // The same pool and schema; kysely's table types are invariant, so the saga's view of it is a cast.
  const sagaDb = db as unknown as Kysely<PropertyTables>;
  const participant = await createParticipant(
    {
      service: 'property',
      db: sagaDb,
      registry,
      kafka: createKafka(config.KAFKA_BROKERS, 'deedstream-property', logger),
      logger,
      metrics,
    },
    loadPropertyCommandSchemas,
    propertyCommandHandlers(repository, sagaDb),
  );
  const runner = new CommandRunner(repository, new IdempotencyStore(db), metrics, propertyStreamType);

  const app = createServiceApp({
    logger,
    metrics,
    routes: (a) => a.use(propertyRoutes({ runner, repository })),
    health: async () => {
      await sql`SELECT 1`.execute(db);
      return { database: 'up' };
    },
  });

  let server: Server | undefined;
  const housekeeping = setInterval(() => {
    const cutoff = new Date(Date.now() - config.OUTBOX_RETENTION_HOURS * 3_600_000);
    deleteOutboxOlderThan(db, cutoff)
      .then((deleted) => deleted > 0 && logger.info({ deleted }, 'outbox housekeeping'))
      .catch((error: unknown) => logger.warn({ err: error }, 'outbox housekeeping failed'));
  }, 10 * 60_000);
  housekeeping.unref();

  return {
    db,
    codec,
    store,
    repository,
    logger,
    participant,
    listen: (port = config.PROPERTY_PORT) =>
      new Promise((resolve, reject) => {
        const s = app.listen(port, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
        server = s;
      }),
    close: async () => {
      clearInterval(housekeeping);
      await participant.consumer.stop();
      if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
      await db.destroy();
    },
  };
}
