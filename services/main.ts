import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { migrateAllToLatest } from '../migrations/migrator';
import { up } from '../stack/stack';
import { AvroEventCodec } from './shared/codec/avro-event-codec';
import { ConfigError } from './shared/config/load-config';
import { createDatabase } from './shared/db/database';
import { schemaSets } from './cli/schema-sets';
import { propertyConfig } from './property/property-config';
import { ConnectClient } from './shared/connect/connect-client';
import { applyConnector } from './shared/connect/connector-deployment';
import { connectorNames, defaultConnectorStateDir, loadConnector } from './shared/connect/connector-file';
import { createKafka } from './shared/kafka/kafka-client';
import { applyTopics, describeChange } from './shared/kafka/topic-admin';
import { loadTopicPlan } from './shared/kafka/topic-plan';

import { createPropertyService } from './property/property-service';
import { analyticsConfig } from './analytics/analytics-config';
import { createAnalyticsService } from './analytics/analytics-service';
import { contractConfig } from './contract/contract-config';
import { createContractService } from './contract/contract-service';
import { paymentConfig } from './payment/payment-config';
import { createPaymentService } from './payment/payment-service';
import { searchConfig } from './search/search-config';
import { titleConfig } from './title/title-config';
import { createTitleService } from './title/title-service';
import { transactionConfig } from './transaction/transaction-config';
import { createTransactionService } from './transaction/transaction-service';
import { createSearchService } from './search/search-service';

/**
 * The main job (`npm start`): brings the native stack up if it is not running, applies
 * migrations, registers the Avro schemas, then runs the services in the foreground.
 * Ctrl-C stops the services; the stack keeps running until `npm run stack -- down`.
 */
async function main(): Promise<void> {
  const config = propertyConfig();
  if (process.env.DEEDSTREAM_EXTERNAL_STACK !== 'true') {
    console.log('» native stack (npm run stack -- up)');
    await up();
  }

  console.log('» migrations');
  const database = createDatabase<unknown>({ connectionString: config.DATABASE_URL, maxConnections: 2 });
  try {
    await migrateAllToLatest(database);
  } finally {
    await database.destroy();
  }

  console.log('» Avro schemas');
  const registry = new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL });
  for (const set of schemaSets) {
    const registered = await new AvroEventCodec(registry, set.topic, await set.load()).registerAll();
    console.log(`  ${registered.size} schemas of ${set.topic} registered (subject = <topic>-<record name>)`);
  }

  console.log('» Kafka topics (connectors/topics.json)');
  const admin = createKafka(config.KAFKA_BROKERS, 'deedstream-main').admin();
  await admin.connect();
  try {
    for (const change of await applyTopics(admin, loadTopicPlan()))
      console.log(`  ${describeChange(change)}`);
  } finally {
    await admin.disconnect();
  }

  console.log(`» Debezium connectors on ${config.CONNECT_URL}`);
  const connect = new ConnectClient(config.CONNECT_URL);
  for (const name of connectorNames()) {
    const result = await applyConnector(connect, loadConnector(name), defaultConnectorStateDir);
    console.log(
      `  ${name}: ${result.changed ? `applied ${result.changes.length} change(s)` : 'unchanged'}, RUNNING`,
    );
  }
  console.log('  property.events ← property.outbox (topic per aggregate type, key = aggregate id)');
  console.log("  <service>.commands / <service>.replies ← each service's outbox (purchase saga)");

  const property = await createPropertyService(config);
  await property.listen();
  await property.participant.consumer.start();
  console.log(
    `» property service   http://127.0.0.1:${config.PROPERTY_PORT}  (POST /properties, GET /properties/:id, /health, /metrics)`,
  );
  const search = createSearchService(searchConfig());
  await search.listen();
  console.log(
    `» search API         http://127.0.0.1:${searchConfig().SEARCH_PORT}  (GET /search/properties; projector group ${search.runner.groupId} → alias properties)`,
  );
  const analytics = createAnalyticsService(analyticsConfig());
  await analytics.listen();
  console.log(
    `» analytics API      http://127.0.0.1:${analyticsConfig().ANALYTICS_PORT}  (GET /analytics/markets/:city, /analytics/properties/:id; projector group ${analytics.runner.groupId} → alias market-properties)`,
  );
  const transaction = await createTransactionService(transactionConfig());
  const payment = await createPaymentService(paymentConfig());
  const contract = await createContractService(contractConfig());
  const title = await createTitleService(titleConfig());
  await Promise.all([transaction.start(), payment.start(), contract.start(), title.start()]);
  console.log(
    `» transaction API    http://127.0.0.1:${transactionConfig().TRANSACTION_PORT}  (POST /transactions, GET /transactions/:id, GET /transactions?propertyId=; purchase saga orchestrator)`,
  );
  console.log(
    `» payment API        http://127.0.0.1:${paymentConfig().PAYMENT_PORT}  (POST /accounts, GET /accounts/:buyerId; payment.commands)`,
  );
  console.log(
    `» contract API       http://127.0.0.1:${contractConfig().CONTRACT_PORT}  (GET /contracts/:transactionId, PUT|DELETE /compliance-holds/:partyId; contract.commands)`,
  );
  console.log(
    `» title API          http://127.0.0.1:${titleConfig().TITLE_PORT}  (GET /titles/:propertyId, PUT|DELETE /titles/:propertyId/liens/:lienId; title.commands)`,
  );
  console.log('Ctrl-C stops the services; the stack keeps running (npm run stack -- down stops it).');

  const stop = async (signal: string) => {
    console.log(`\n${signal}: stopping services`);
    await Promise.all([
      property.close(),
      search.close(),
      analytics.close(),
      transaction.close(),
      payment.close(),
      contract.close(),
      title.close(),
    ]);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : ((error as { oneLine?: () => string }).oneLine?.() ?? (error as Error).message);
  console.error(`deedstream: ${message}`);
  process.exit(1);
});
