import { brokersSeenWithout, cutOff, fullyInSync, leaderOf } from '../support/cluster-faults';
import { faultsUnderLoad } from '../support/fault-under-load';
import { waitFor } from '../support/wait-for';

// Two processes of every service, as the cluster profile runs them.
const survivesUnderLoad = faultsUnderLoad(2);

describe('the cluster profile under a steady command load', () => {
  it('the broker leading a busy partition cut off for 30 s while it runs: nothing accepted is lost, the purchase completes', async () => {
    const victim = await leaderOf('property.events', 0);
    let fencedAfterMs = 0;
    let inSyncAfterHeal: Promise<number> | undefined;
    const { report } = await survivesUnderLoad(`${victim} cut off for 30 s`, async () => {
      const outage = await cutOff(victim, 30_000, async (cutAt) => {
        // The rest of the cluster must notice: its controllers fence the silent broker.
        await waitFor(
          `the other brokers to fence ${victim}`,
          async () => (await brokersSeenWithout(victim))?.includes(victim) === false,
          { timeoutMs: 25_000, pollMs: 500 },
        );
        fencedAfterMs = Date.now() - cutAt;
      });
      // Healed: it catches up and every partition has all three replicas in sync again.
      inSyncAfterHeal = waitFor(
        `${victim} back in sync on every partition`,
        () => fullyInSync('property.events'),
        {
          timeoutMs: 120_000,
          pollMs: 500,
        },
      ).then(() => Date.now() - outage.backAt);
      return outage;
    });
    const inSyncAfterMs = await inSyncAfterHeal!;
    console.log(
      `[cluster fault: ${victim} cut off] fenced ${(fencedAfterMs / 1000).toFixed(1)} s after the cut; every replica in sync ${(inSyncAfterMs / 1000).toFixed(1)} s after the heal`,
    );
    // Commands need only Postgres: none was refused while a broker was cut off.
    expect(Object.keys(report.byStatus).filter((s) => !['200', '201'].includes(s))).toEqual([]);
  }, 900_000);
});
