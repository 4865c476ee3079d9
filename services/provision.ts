import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { migrateAllToLatest } from '../migrations/migrator';
import { schemaSets } from './cli/schema-sets';
import { AvroEventCodec } from './shared/codec/avro-event-codec';
import { applySubjectCompatibility } from './shared/codec/subject-compatibility';
import type { InfrastructureConfig } from './shared/service/infrastructure';
import { ConnectClient } from './shared/connect/connect-client';
import { applyConnector } from './shared/connect/connector-deployment';
import { connectorNames, loadConnector } from './shared/connect/connector-file';
import { defaultConnectorStateDir } from '../stack/paths';
import { retireConnectors } from './shared/connect/connector-retirement';
import { createDatabase } from './shared/db/database';
import { createKafka } from './shared/kafka/kafka-client';
import { applyTopics, describeChange } from './shared/kafka/topic-admin';
import { loadTopicPlan } from './shared/kafka/topic-plan';

/**
 * Everything the services expect to exist, made once before they start (all idempotent):
 * each service's schema migrated, every Avro schema registered, the declared topics
 * created and every outbox connector applied and RUNNING. Each connector config it replaces
 * is kept in `connectorStateDir` for `npm run connectors -- rollback`.
 */
export async function provision(
  config: InfrastructureConfig,
  say: (line: string) => void = () => undefined,
  connectorStateDir = defaultConnectorStateDir,
): Promise<void> {
  say('» migrations');
  const database = createDatabase<unknown>({ connectionString: config.DATABASE_URL, maxConnections: 2 });
  try {
    await migrateAllToLatest(database);
  } finally {
    await database.destroy();
  }

  say('» Avro schemas');
  const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
  for (const set of schemaSets) {
    const codec = new AvroEventCodec(registry, set.topic, await set.load());
    for (const subject of codec.subjects())
      await applySubjectCompatibility(config.SCHEMA_REGISTRY_URL, subject);
    const registered = await codec.registerAll();
    say(
      `  ${registered.size} schemas of ${set.topic} registered (subject = <topic>-<record name>, BACKWARD_TRANSITIVE)`,
    );
  }

  say('» Kafka topics (connectors/topics.json)');
  const admin = createKafka(config.KAFKA_BROKERS, 'deedstream-provision').admin();
  await admin.connect();
  try {
    for (const change of await applyTopics(
      admin,
      loadTopicPlan(undefined, {
        replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
        minInsyncReplicas: config.KAFKA_TOPIC_MIN_INSYNC_REPLICAS,
      }),
    ))
      say(`  ${describeChange(change)}`);
  } finally {
    await admin.disconnect();
  }

  say(`» Debezium connectors on ${config.CONNECT_URL}`);
  const connect = ConnectClient.of(config);
  const slots = createDatabase<unknown>({ connectionString: config.DATABASE_URL, maxConnections: 1 });
  try {
    for (const name of connectorNames()) {
      const result = await applyConnector(connect, slots, loadConnector(name), connectorStateDir);
      say(
        `  ${name}: ${result.changed ? `applied ${result.changes.length} change(s)` : 'unchanged'}, RUNNING`,
      );
    }
    for (const name of await retireConnectors(connect, slots))
      say(`  ${name}: retired (replaced by outbox-relay), its slot and publication dropped`);
  } finally {
    await slots.destroy();
  }
}
