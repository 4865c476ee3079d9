import type { z } from 'zod';
import { infrastructureSchema } from '../shared/service/infrastructure';
import { loadConfig } from '../shared/config/load-config';
import { retentionSchema } from '../shared/config/retention';
import { poolVariable, portVariable } from '../shared/config/variables';

export const paymentConfigSchema = infrastructureSchema.extend(retentionSchema.shape).extend({
  PAYMENT_PORT: portVariable(3005, 'the payment service'),
  PAYMENT_DB_POOL: poolVariable(10, 'the payment service'),
});

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;

export function paymentConfig(env: NodeJS.ProcessEnv = process.env): PaymentConfig {
  return loadConfig(paymentConfigSchema, env);
}
