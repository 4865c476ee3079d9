import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { schemaSets } from '../../services/cli/schema-sets';
import { contractService } from '../../services/contract/contract-service';
import { paymentService } from '../../services/payment/payment-service';
import { AvroEventCodec } from '../../services/shared/codec/avro-event-codec';
import type { Kysely } from 'kysely';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { createDatabase } from '../../services/shared/db/database';
import { startService, type RunningService } from '../../services/shared/service/start-service';
import { titleService } from '../../services/title/title-service';
import {
  transactionService,
  type TransactionInternals,
} from '../../services/transaction/transaction-service';
import type { ContractConfig } from '../../services/contract/contract-config';
import type { ContractTables } from '../../services/contract/contract-tables';
import type { PaymentConfig } from '../../services/payment/payment-config';
import type { PaymentTables } from '../../services/payment/payment-tables';
import type { ParticipantInternals } from '../../services/shared/messaging/participant-service';
import type { TitleConfig } from '../../services/title/title-config';
import type { TitleTables } from '../../services/title/title-tables';
import type { TransactionConfig } from '../../services/transaction/transaction-config';
import { awaitReady } from './await-ready';
import { awaitCaughtUp } from './caught-up';
import { freshUser, localUser, type Identity } from './identities';
import { ensurePipeline } from './pipeline';
import {
  jsonClient,
  listing,
  startPropertyService,
  type ApiResponse,
  type PropertyHarness,
} from './property-harness';

type Call = PropertyHarness['call'];

export interface SagaHarness {
  property: PropertyHarness;
  transaction: RunningService<TransactionConfig, TransactionInternals>;
  payment: RunningService<PaymentConfig, ParticipantInternals<PaymentTables>>;
  contract: RunningService<ContractConfig, ParticipantInternals<ContractTables>>;
  title: RunningService<TitleConfig, ParticipantInternals<TitleTables>>;
  api: { property: Call; transaction: Call; payment: Call; contract: Call; title: Call };
  /** The schemas' owner, for checks that read across service schemas (which no service may). */
  owner: Kysely<unknown>;
  /** The transaction API as someone in particular (a buyer starting a purchase). */
  transactionAs(identity: Identity): Call;
  /**
   * A listed property (the listing helper's, changed by `features`) with an accepted offer
   * at `price` from a new buyer who has `balance` in an account.
   */
  acceptedOffer(price: number, balance: number, features?: Record<string, unknown>): Promise<PurchaseTerms>;
  startPurchase(terms: PurchaseTerms): Promise<string>;
  /** Polls the purchase until `done` holds (bounded); fails with its last state otherwise. */
  awaitPurchase(
    id: string,
    done: (saga: ApiResponse['body']) => boolean,
    timeoutMs?: number,
  ): Promise<ApiResponse['body']>;
  close(): Promise<void>;
}

/** An accepted offer, ready to be purchased, with the accept response's consistency token. */
export interface PurchaseTerms {
  propertyId: string;
  offerId: string;
  /** The buyer's identity subject (the offer's and the account's buyer id). */
  buyerId: string;
  buyer: Identity;
  consistencyToken: string;
}

/**
 * The whole purchase pipeline in this process: the property service with its saga
 * participant, the orchestrator and the three other participants, on free ports, over
 * the real stack (every message goes outbox → Debezium → Kafka). `env` overrides
 * configuration, e.g. the step timeout.
 */
export async function startSagaHarness(env: Record<string, string> = {}): Promise<SagaHarness> {
  await ensurePipeline();
  const registry = new SchemaRegistry({ host: infrastructureConfig().SCHEMA_REGISTRY_URL });
  for (const set of schemaSets) await new AvroEventCodec(registry, set.topic, await set.load()).registerAll();

  // A relay that resumes slowly (right after a stack restart) must not turn into a 404.
  const settings = { OFFER_WAIT_MS: '30000', ...env };
  const options = { env: { ...process.env, LOG_LEVEL: 'silent', ...settings }, port: 0 };
  const property = await startPropertyService({ workers: true, env: settings });
  const [transaction, payment, contract, title] = await Promise.all([
    startService(transactionService, options),
    startService(paymentService, options),
    startService(contractService, options),
    startService(titleService, options),
  ]);
  await awaitReady([property.baseUrl, ...[transaction, payment, contract, title].map((s) => s.url)]);
  // The orchestrator's copy of offers must not be working off a backlog other tests left.
  await awaitCaughtUp({ 'transaction.known-offers': ['property.events'] });
  // Who looks: operators follow purchases and accounts, the compliance desk contracts and
  // holds, the registrar titles and liens; the seller lists and decides on offers.
  const [ops, compliance, registrar] = await Promise.all(
    ['ops1', 'compliance1', 'registrar1'].map(localUser),
  );
  const api = {
    property: property.call,
    transaction: jsonClient(transaction.url, ops),
    payment: jsonClient(payment.url, ops),
    contract: jsonClient(contract.url, compliance),
    title: jsonClient(title.url, registrar),
  };

  const owner = createDatabase<unknown>({
    connectionString: infrastructureConfig().DATABASE_URL,
    maxConnections: 2,
  });
  const harness: SagaHarness = {
    property,
    transaction,
    payment,
    contract,
    title,
    api,
    owner,
    transactionAs: (identity) => jsonClient(transaction.url, identity),
    async acceptedOffer(price, balance, features = {}) {
      const listed = await api.property(
        'POST',
        '/properties',
        listing({ price: { amount: price, currency: 'EUR' }, ...features }),
      );
      const propertyId = listed.body.id as string;
      // A buyer of its own per purchase: its account and balance are this test's alone.
      const buyer = await freshUser('buyer');
      const buyerId = buyer.subject;
      const offer = await property.as(buyer)('POST', `/properties/${propertyId}/offers`, {
        amount: { amount: price, currency: 'EUR' },
      });
      const offerId = offer.body.offerId as string;
      const accepted = await api.property('POST', `/properties/${propertyId}/offers/${offerId}/accept`, {});
      expect(accepted.status).toBe(200);
      const account = await api.payment('POST', '/accounts', {
        buyerId,
        balance: { amount: balance, currency: 'EUR' },
      });
      expect(account.status).toBe(201);
      return {
        propertyId,
        offerId,
        buyerId,
        buyer,
        consistencyToken: accepted.body.consistencyToken as string,
      };
    },
    async startPurchase(terms) {
      // As the offer's buyer, with the accept's token: the orchestrator waits until its
      // copy of the offer has seen it.
      const started = await jsonClient(transaction.url, terms.buyer)(
        'POST',
        '/transactions',
        { propertyId: terms.propertyId, offerId: terms.offerId },
        { 'X-Consistency-Token': terms.consistencyToken },
      );
      expect(started.status).toBe(202);
      return started.body.transactionId as string;
    },
    async awaitPurchase(id, done, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const saga = await api.transaction('GET', `/transactions/${id}`);
        if (done(saga.body)) return saga.body;
        if (Date.now() > until) {
          throw new Error(
            `purchase ${id} did not reach the expected state in ${timeoutMs} ms: ${JSON.stringify(saga.body)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await Promise.all([transaction, payment, contract, title].map((s) => s.stop()));
      await property.close();
      await owner.destroy();
    },
  };
  return harness;
}

export const ended = (saga: ApiResponse['body']) =>
  ['COMPLETED', 'COMPENSATED', 'FAILED'].includes(saga.status as string);
