import { z } from 'zod';
import { infrastructureSchema } from '../shared/service/infrastructure';
import { loadConfig } from '../shared/config/load-config';
import { retentionSchema } from '../shared/config/retention';
import { poolVariable, portVariable } from '../shared/config/variables';

export const transactionConfigSchema = infrastructureSchema.extend(retentionSchema.shape).extend({
  TRANSACTION_PORT: portVariable(3004, 'the transaction service'),
  TRANSACTION_DB_POOL: poolVariable(10, 'the transaction service'),
  SAGA_STEP_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    // Longer than a broker or registry restart takes to heal (a relayed reply arrived 50–85 s
    // late after a 20 s Kafka outage on the 2-core CI machine): a deadline is for a
    // participant that never answers, and must not undo purchases over an infrastructure blip.
    .default(300_000)
    .describe('how long a participant may take to apply a purchase step before the purchase is compensated'),
  SAGA_REPLY_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(2_000)
    .describe('extra wait for a reply after a step expired, for a step applied just in time'),
  SAGA_SWEEP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(50)
    .default(30_000)
    .describe(
      'longest wait between two looks for overdue steps; the sweeper also wakes when the earliest deadline it knows of falls due (deadlines set by another transaction process are seen within this bound)',
    ),
  OFFER_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(5_000)
    .describe(
      'POST /transactions: longest wait for a just-accepted offer (or the version of an X-Consistency-Token) to arrive from property.events',
    ),
});

export type TransactionConfig = z.infer<typeof transactionConfigSchema>;

export function transactionConfig(env: NodeJS.ProcessEnv = process.env): TransactionConfig {
  return loadConfig(transactionConfigSchema, env);
}
