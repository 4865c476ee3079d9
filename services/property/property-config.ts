import { z } from 'zod';
import { infrastructureSchema } from '../shared/service/infrastructure';
import { loadConfig } from '../shared/config/load-config';
import { retentionSchema } from '../shared/config/retention';
import { commaSeparated, millisecondsVariable, poolVariable } from '../shared/config/variables';
import { privacySchema } from '../shared/privacy/privacy-config';

export const propertyConfigSchema = infrastructureSchema
  .extend(retentionSchema.shape)
  .extend(privacySchema.shape)
  .extend({
    KEYSTORE_DB_POOL: poolVariable(2, 'the key store (decrypting agent cards)'),
    PROPERTY_PORT: z.coerce
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(3001)
      .describe('HTTP port of the property service'),
    PROPERTY_DB_POOL: z.coerce
      .number()
      .int()
      .min(1)
      .max(200)
      .default(20)
      .describe('Postgres connections of the property service'),
    AGENT_CARD_WAIT_MS: millisecondsVariable(
      5_000,
      "longest wait of POST /properties for the agent's card named by a profile consistency token (then 503)",
    ),
    LISTING_FEED_SOURCES: z
      .string()
      .default('sample_mls')
      .transform(commaSeparated)
      .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'each source: lower-case letters, digits and "_"')))
      .describe(
        'the listing feeds to import, comma-separated: each is the topic listing-feed.<source> (empty: none)',
      ),
    PROPERTY_SNAPSHOT_EVERY: z.coerce
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .default(100)
      .describe(
        'take a snapshot of a property each time its version passes a multiple of this (0: no snapshots; every load folds the whole stream)',
      ),
  });

export type PropertyConfig = z.infer<typeof propertyConfigSchema>;

export function propertyConfig(env: NodeJS.ProcessEnv = process.env): PropertyConfig {
  return loadConfig(propertyConfigSchema, env);
}
