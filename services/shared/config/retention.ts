import { z } from 'zod';

const hours = (fallback: number, description: string) =>
  z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(fallback)
    .describe(description);

/**
 * How long each bookkeeping table keeps its rows. Housekeeping deletes older rows on a
 * schedule; every limit is longer than the window in which the row can still matter.
 */
export const retentionSchema = z.object({
  OUTBOX_RETENTION_HOURS: hours(
    24,
    'relayed outbox rows are kept this long for inspection (and connector slot recovery), then deleted',
  ),
  INBOX_RETENTION_HOURS: hours(
    192,
    'handled message ids are kept this long: longer than the 7-day retention of command and reply topics, so any redelivery is still recognised',
  ),
  IDEMPOTENCY_RETENTION_HOURS: hours(
    24,
    'Idempotency-Key responses are replayed for this long after the first request',
  ),
  HOUSEKEEPING_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(10 * 60_000)
    .describe('how often expired outbox, inbox and idempotency rows are deleted'),
});

export type RetentionConfig = z.infer<typeof retentionSchema>;
