import { createParticipantService, type ParticipantService } from '../shared/messaging/participant-service';
import { accountRoutes } from './api/account-routes';
import { paymentCommandHandlers } from './handlers/payment-command-handlers';
import { loadPaymentCommandSchemas } from './messages/payment-messages';
import type { PaymentConfig } from './payment-config';
import type { PaymentTables } from './payment-tables';

export type PaymentService = ParticipantService<PaymentTables>;

/** Buyers' funds: reserve, release and capture for purchases; accounts over HTTP on 3005. */
export function createPaymentService(config: PaymentConfig): Promise<PaymentService> {
  return createParticipantService<PaymentTables>(config, {
    service: 'payment',
    schema: 'payment',
    port: config.PAYMENT_PORT,
    pool: config.PAYMENT_DB_POOL,
    commandSchemas: loadPaymentCommandSchemas,
    handlers: paymentCommandHandlers,
    routes: accountRoutes,
  });
}
