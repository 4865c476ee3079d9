import { z } from 'zod';
import { infrastructureSchema } from '../shared/service/infrastructure';
import { loadConfig } from '../shared/config/load-config';
import { retentionSchema } from '../shared/config/retention';
import { defaultConnectorStateDir } from '../../stack/paths';

/** What `npm run connectors` reads from the environment, beyond the infrastructure. */
export const connectorsCliSchema = infrastructureSchema
  .extend({
    SLOT_LAG_WARN_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 ** 3)
      .describe('replication slot lag (bytes of WAL) past which `status` warns'),
    CONNECTORS_STATE_DIR: z
      .string()
      .min(1)
      .optional()
      .describe(
        'where `apply` keeps each replaced connector config for `rollback` (unset: <stack dir>/state/connectors)',
      ),
    SLOT_RECOVERY_MARGIN_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .default(600)
      .describe('`recover` compares with Kafka everything stored from this long before the point of loss'),
  })
  .extend({ OUTBOX_RETENTION_HOURS: retentionSchema.shape.OUTBOX_RETENTION_HOURS });

export type ConnectorsCliConfig = z.infer<typeof connectorsCliSchema> & { CONNECTORS_STATE_DIR: string };

export function connectorsCliConfig(env: NodeJS.ProcessEnv = process.env): ConnectorsCliConfig {
  const config = loadConfig(connectorsCliSchema, env);
  return { ...config, CONNECTORS_STATE_DIR: config.CONNECTORS_STATE_DIR ?? defaultConnectorStateDir };
}
