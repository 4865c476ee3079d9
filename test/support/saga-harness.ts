import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { schemaSets } from '../../services/cli/schema-sets';
import { contractConfig } from '../../services/contract/contract-config';
import { createContractService, type ContractService } from '../../services/contract/contract-service';
import { paymentConfig } from '../../services/payment/payment-config';
import { createPaymentService, type PaymentService } from '../../services/payment/payment-service';
import { AvroEventCodec } from '../../services/shared/codec/avro-event-codec';
import { infrastructureConfig } from '../../services/shared/config/infrastructure';
import { titleConfig } from '../../services/title/title-config';
import { createTitleService, type TitleService } from '../../services/title/title-service';
import { transactionConfig } from '../../services/transaction/transaction-config';
import {
  createTransactionService,
  type TransactionService,
} from '../../services/transaction/transaction-service';
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
  transaction: TransactionService;
  payment: PaymentService;
  contract: ContractService;
  title: TitleService;
  api: { property: Call; transaction: Call; payment: Call; contract: Call; title: Call };
  /** A listed property with an accepted offer from a new buyer who has `balance` in an account. */
  acceptedOffer(
    price: number,
    balance: number,
  ): Promise<{ propertyId: string; offerId: string; buyerId: string }>;
  startPurchase(terms: { propertyId: string; offerId: string; buyerId: string }): Promise<string>;
  /** Polls the purchase until `done` holds (bounded); fails with its last state otherwise. */
  awaitPurchase(
    id: string,
    done: (saga: ApiResponse['body']) => boolean,
    timeoutMs?: number,
  ): Promise<ApiResponse['body']>;
  close(): Promise<void>;
}

const port = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
let buyers = 0;

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

  const vars = { ...process.env, LOG_LEVEL: 'silent', ...env };
  const property = await startPropertyService();
  await property.service.participant.consumer.start();
  const transaction = await createTransactionService(transactionConfig(vars));
  const payment = await createPaymentService(paymentConfig(vars));
  const contract = await createContractService(contractConfig(vars));
  const title = await createTitleService(titleConfig(vars));
  await Promise.all([transaction, payment, contract, title].map((s) => s.start(0)));
  const api = {
    property: property.call,
    transaction: jsonClient(port(transaction.http.server)),
    payment: jsonClient(port(payment.http.server)),
    contract: jsonClient(port(contract.http.server)),
    title: jsonClient(port(title.http.server)),
  };

  const harness: SagaHarness = {
    property,
    transaction,
    payment,
    contract,
    title,
    api,
    async acceptedOffer(price, balance) {
      const listed = await api.property(
        'POST',
        '/properties',
        listing({ price: { amount: price, currency: 'EUR' } }),
      );
      const propertyId = listed.body.id as string;
      const buyerId = `buyer-${process.pid}-${Date.now()}-${(buyers += 1)}`;
      const offer = await api.property('POST', `/properties/${propertyId}/offers`, {
        buyerId,
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
      return { propertyId, offerId, buyerId };
    },
    async startPurchase(terms) {
      const started = await api.transaction('POST', '/transactions', terms);
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
      await Promise.all([transaction, payment, contract, title].map((s) => s.close()));
      await property.close();
    },
  };
  return harness;
}

export const ended = (saga: ApiResponse['body']) =>
  ['COMPLETED', 'COMPENSATED', 'FAILED'].includes(saga.status as string);
