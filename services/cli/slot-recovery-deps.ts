import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { AvroEventCodec } from '../shared/codec/avro-event-codec';
import type { InfrastructureConfig } from '../shared/service/infrastructure';
import { ConnectClient } from '../shared/connect/connect-client';
import type { SlotRecoveryDeps } from '../shared/connect/slot-recovery';
import { createDatabase } from '../shared/db/database';
import type { EventStoreTables } from '../shared/event-store/tables';
import { createKafka } from '../shared/kafka/kafka-client';
import { schemaSets } from './schema-sets';

/**
 * What `connectors recover` works with: the database, Kafka, Connect, and the Avro
 * schemas of each event-sourced schema's events (a schema set named like the schema,
 * e.g. `property` → property.events). Tests use the same wiring.
 */
export function slotRecoveryDeps(
  config: Pick<
    InfrastructureConfig,
    | 'DATABASE_URL'
    | 'KAFKA_BROKERS'
    | 'SCHEMA_REGISTRY_URL'
    | 'CONNECT_URL'
    | 'CONNECT_USERNAME'
    | 'CONNECT_PASSWORD'
  >,
  log: (line: string) => void,
): SlotRecoveryDeps & { close(): Promise<void> } {
  const db = createDatabase<EventStoreTables>({
    connectionString: config.DATABASE_URL,
    maxConnections: 2,
    applicationName: 'deedstream-slot-recovery',
  });
  const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
  return {
    connect: ConnectClient.of(config),
    db,
    kafka: createKafka(config.KAFKA_BROKERS, 'deedstream-slot-recovery'),
    eventCodecFor: async (schema) => {
      const set = schemaSets.find((s) => s.name === schema);
      return set && new AvroEventCodec(registry, set.topic, await set.load());
    },
    log,
    close: () => db.destroy(),
  };
}
