import { z } from 'zod';
import { infrastructureSchema } from '../shared/config/infrastructure';
import { loadConfig } from '../shared/config/load-config';

export const paymentConfigSchema = infrastructureSchema.extend({
  PAYMENT_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(3005)
    .describe('HTTP port of the payment service'),
  PAYMENT_DB_POOL: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(10)
    .describe('Postgres connections of the payment service'),
});

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;

export function paymentConfig(env: NodeJS.ProcessEnv = process.env): PaymentConfig {
  return loadConfig(paymentConfigSchema, env);
}
