import { consumerGroupLag } from '../../services/shared/projection/consumer-lag';
import { kafka } from './pipeline';

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
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      let behind = 0;
      for (const [group, topics] of Object.entries(groups)) {
        behind += (await consumerGroupLag(admin, group, [...topics])).reduce((sum, p) => sum + p.lag, 0);
      }
      if (behind === 0) return;
      if (Date.now() > deadline)
        throw new Error(`consumer groups still ${behind} messages behind after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await admin.disconnect();
  }
}
