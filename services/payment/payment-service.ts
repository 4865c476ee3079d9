import { paymentApi } from './api/payment-openapi';
import { participantService } from '../shared/messaging/participant-service';
import { idempotencyRetention } from '../shared/service/retention-rules';
import { accountRoutes } from './api/account-routes';
import { paymentCommandHandlers } from './handlers/payment-command-handlers';
import { loadPaymentCommandSchemas } from './published/payment-messages';
import { paymentConfig, type PaymentConfig } from './payment-config';
import type { PaymentTables } from './payment-tables';

/** Buyers' funds: reserve, release and capture for purchases; accounts over HTTP on 3005. */
export const paymentService = participantService<PaymentConfig, PaymentTables>({
  service: 'payment',
  summary: 'POST /accounts, GET /accounts/:buyerId; saga participant on payment.commands',
  schema: 'payment',
  loadConfig: paymentConfig,
  port: (config) => config.PAYMENT_PORT,
  api: paymentApi,
  pool: (config) => config.PAYMENT_DB_POOL,
  commandSchemas: loadPaymentCommandSchemas,
  handlers: paymentCommandHandlers,
  routes: accountRoutes,
  retention: (db, config) => [idempotencyRetention(db, config)],
});
