import { consumerGroupLag } from '../../services/shared/projection/consumer-lag';
import { kafka } from './pipeline';
import { waitFor } from './wait-for';

/** The consumer groups of the pipeline and what they read. */
export const pipelineGroups = {
  'projection.property-search': ['property.events'],
  'projection.market-analytics': ['property.events'],
  'transaction.known-offers': ['property.events'],
} as const;

/**
 * Waits (bounded) until each group has consumed everything on its topics, so a test that
 * measures an outage is not measuring a backlog other tests left behind.
 */
export async function awaitCaughtUp(
  groups: Readonly<Record<string, readonly string[]>> = pipelineGroups,
  timeoutMs = 300_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  let behind = 0;
  try {
    await waitFor(
      () => `the consumer groups to catch up (still ${behind} messages behind)`,
      async () => {
        behind = 0;
        for (const [group, topics] of Object.entries(groups)) {
          behind += (await consumerGroupLag(admin, group, [...topics])).reduce((sum, p) => sum + p.lag, 0);
        }
        return behind === 0;
      },
      { timeoutMs, pollMs: 500 },
    );
  } finally {
    await admin.disconnect();
  }
}
