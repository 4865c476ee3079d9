import { transactionApi } from './api/transaction-openapi';
import type { Kysely } from 'kysely';
import { loadContractCommandSchemas } from '../contract/published/contract-messages';
import { loadPaymentCommandSchemas } from '../payment/published/payment-messages';
import { propertyEventStream, propertyTopic } from '../property/published';
import { loadPropertyCommandSchemas } from '../property/published';
import { IdempotencyStore } from '../shared/http/idempotency';
import { commandChannel, replyChannel } from '../shared/messaging/channels';
import { loadCommandReplySchemas } from '../shared/messaging/command-reply';
import { consumerDeps } from '../shared/messaging/consumer-deps';
import { MessageCodecs } from '../shared/messaging/message-codecs';
import { consumerRetryPolicy, MessageConsumer } from '../shared/messaging/message-consumer';
import { housekeeping } from '../shared/service/housekeeping';
import { DueTimeTask } from '../shared/service/due-time-task';
import { inboxRetention } from '../shared/messaging/inbox-retention';
import { idempotencyRetention, outboxRetention } from '../shared/service/retention-rules';
import type { ServiceDefinition } from '../shared/service/service-definition';
import type { ServiceRuntime } from '../shared/service/service-runtime';
import { loadTitleCommandSchemas } from '../title/published/title-messages';
import { transactionRoutes } from './api/transaction-routes';
import { knownOffersHandler } from './handlers/known-offers';
import { PurchaseOrchestrator, replyConsumer } from './purchase-orchestrator';
import { transactionConfig, type TransactionConfig } from './transaction-config';
import type { TransactionTables } from './transaction-tables';

export const participants = ['payment', 'property', 'contract', 'title'] as const;

/** What tests reach inside a running transaction service. */
export interface TransactionInternals {
  db: Kysely<TransactionTables>;
  orchestrator: PurchaseOrchestrator;
  replies: MessageConsumer;
  offers: MessageConsumer;
}

/**
 * The purchase orchestrator: REST on 3004, replies and offers from Kafka, overdue steps
 * from a sweeper (several replicas sweep safely: the sweep skips sagas another one holds).
 */
export const transactionService: ServiceDefinition<TransactionConfig, TransactionInternals> = {
  name: 'transaction',
  summary:
    'POST /transactions, GET /transactions/:id; purchase saga orchestrator (<participant>.replies, property.events)',
  loadConfig: transactionConfig,
  port: (config) => config.TRANSACTION_PORT,
  api: transactionApi,

  async build(config, runtime) {
    const db = runtime.database<TransactionTables>('transaction', config.TRANSACTION_DB_POOL);
    const codecs = await MessageCodecs.load(runtime.registry, [
      { topic: commandChannel('payment'), load: loadPaymentCommandSchemas },
      { topic: commandChannel('property'), load: loadPropertyCommandSchemas },
      { topic: commandChannel('contract'), load: loadContractCommandSchemas },
      { topic: commandChannel('title'), load: loadTitleCommandSchemas },
    ]);
    const orchestrator = new PurchaseOrchestrator(
      db,
      codecs,
      { stepTimeoutMs: config.SAGA_STEP_TIMEOUT_MS, replyGraceMs: config.SAGA_REPLY_GRACE_MS },
      runtime.logger,
    );
    const replies = repliesConsumer(config, runtime, orchestrator);
    const offers = new MessageConsumer(consumerDeps(runtime, [propertyEventStream]), {
      name: 'transaction.known-offers',
      groupId: 'transaction.known-offers',
      topics: [propertyTopic],
      handle: knownOffersHandler(db),
      retry: consumerRetryPolicy(config),
    });
    // Sleeps until the earliest deadline (or SAGA_SWEEP_INTERVAL_MS), woken by new ones.
    const sweeper = new DueTimeTask(
      'deadline sweeper',
      () => orchestrator.sweepDeadlines(),
      config.SAGA_SWEEP_INTERVAL_MS,
      runtime.logger,
    );
    orchestrator.onDeadlineSet((deadlineAt) => sweeper.wakeBy(deadlineAt));
    return {
      routes: transactionRoutes({
        db,
        orchestrator,
        idempotency: IdempotencyStore.of(db),
        offerWaitMs: config.OFFER_WAIT_MS,
      }),
      workers: [
        replies,
        offers,
        sweeper,
        housekeeping(
          [outboxRetention(db, config), inboxRetention(db, config), idempotencyRetention(db, config)],
          config.HOUSEKEEPING_INTERVAL_MS,
          runtime.logger,
        ),
      ],
      details: () => ({ replies: replies.membership.view(), offers: offers.membership.view() }),
      internals: { db, orchestrator, replies, offers },
    };
  },
};

/** The participants' replies, from all their `<participant>.replies` topics, move the sagas on. */
function repliesConsumer(
  config: TransactionConfig,
  runtime: ServiceRuntime,
  orchestrator: PurchaseOrchestrator,
): MessageConsumer {
  return new MessageConsumer(
    consumerDeps(
      runtime,
      participants.map((p) => ({ topic: replyChannel(p), load: loadCommandReplySchemas })),
    ),
    {
      name: replyConsumer,
      groupId: 'saga.transaction',
      topics: participants.map(replyChannel),
      handle: (message) => orchestrator.handleReply(message),
      retry: consumerRetryPolicy(config),
    },
  );
}
