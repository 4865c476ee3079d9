import { sql } from 'kysely';
import { loadContractCommandSchemas } from '../contract/messages/contract-messages';
import { loadPaymentCommandSchemas } from '../payment/messages/payment-messages';
import { propertyTopic } from '../property/property-service';
import { loadPropertyCommandSchemas } from '../property/messages/property-messages';
import { createServiceApp } from '../shared/http/service-app';
import { commandChannel, replyChannel } from '../shared/messaging/channels';
import { MessageCodecs } from '../shared/messaging/message-codecs';
import { MessageConsumer } from '../shared/messaging/message-consumer';
import { createServiceRuntime, HttpListener, type ServiceRuntime } from '../shared/service/service-runtime';
import { loadTitleCommandSchemas } from '../title/messages/title-messages';
import { transactionRoutes } from './api/transaction-routes';
import { knownOffersHandler } from './handlers/known-offers';
import { PurchaseOrchestrator, replyConsumer } from './purchase-orchestrator';
import type { TransactionConfig } from './transaction-config';
import type { TransactionTables } from './transaction-tables';

export const participants = ['payment', 'property', 'contract', 'title'] as const;

export interface TransactionService {
  runtime: ServiceRuntime<TransactionTables>;
  orchestrator: PurchaseOrchestrator;
  replies: MessageConsumer;
  offers: MessageConsumer;
  http: HttpListener;
  /** Starts consuming and serving HTTP (on `port`, default from the configuration; 0 = any free port). */
  start(port?: number): Promise<void>;
  close(): Promise<void>;
}

/** The purchase orchestrator: REST on 3004, replies and offers from Kafka, deadlines from a sweeper. */
export async function createTransactionService(config: TransactionConfig): Promise<TransactionService> {
  const runtime = createServiceRuntime<TransactionTables>('transaction', config, {
    schema: 'transaction',
    pool: config.TRANSACTION_DB_POOL,
  });
  const { db, logger, registry, kafka, metrics } = runtime;
  const codecs = await MessageCodecs.load(registry, [
    { topic: commandChannel('payment'), load: loadPaymentCommandSchemas },
    { topic: commandChannel('property'), load: loadPropertyCommandSchemas },
    { topic: commandChannel('contract'), load: loadContractCommandSchemas },
    { topic: commandChannel('title'), load: loadTitleCommandSchemas },
  ]);
  const orchestrator = new PurchaseOrchestrator(
    db,
    codecs,
    { stepTimeoutMs: config.SAGA_STEP_TIMEOUT_MS, replyGraceMs: config.SAGA_REPLY_GRACE_MS },
    logger,
  );
  const consumerDeps = { kafka, registry, logger, metrics: metrics.registry };
  const replies = new MessageConsumer(consumerDeps, {
    name: replyConsumer,
    groupId: 'saga.transaction',
    topics: participants.map(replyChannel),
    handle: (message) => orchestrator.handleReply(message),
  });
  const offers = new MessageConsumer(consumerDeps, {
    name: 'transaction.known-offers',
    groupId: 'transaction.known-offers',
    topics: [propertyTopic],
    handle: knownOffersHandler(db),
  });

  const app = createServiceApp({
    logger,
    metrics,
    routes: (a) => a.use(transactionRoutes(db, orchestrator, config.OFFER_WAIT_MS)),
    health: async () => {
      await sql`SELECT 1`.execute(db);
      return { database: 'up', replies: replies.running ? 'consuming' : 'stopped' };
    },
  });
  const http = new HttpListener(app, config.TRANSACTION_PORT);

  let sweeper: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  const sweep = () => {
    sweeping ??= orchestrator
      .sweepDeadlines()
      .then(() => undefined)
      .catch((error: unknown) => logger.warn({ err: error }, 'deadline sweep failed; retrying'))
      .finally(() => {
        sweeping = undefined;
      });
  };

  return {
    runtime,
    orchestrator,
    replies,
    offers,
    http,
    start: async (port?: number) => {
      await Promise.all([replies.start(), offers.start()]);
      sweeper = setInterval(sweep, config.SAGA_SWEEP_INTERVAL_MS);
      await http.listen(port);
    },
    close: async () => {
      clearInterval(sweeper);
      await sweeping;
      await http.close();
      await Promise.all([replies.stop(), offers.stop()]);
      await db.destroy();
    },
  };
}
