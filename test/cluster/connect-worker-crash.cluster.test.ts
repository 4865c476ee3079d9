import { connectWorkers } from '../../stack/topology';
import { crash, relayWorker } from '../support/cluster-faults';
import { faultsUnderLoad } from '../support/fault-under-load';
import { waitFor } from '../support/wait-for';

// Two processes of every service, as the cluster profile runs them.
const survivesUnderLoad = faultsUnderLoad(2);

describe('the cluster profile under a steady command load', () => {
  it('kill -9 of the Connect worker running the Debezium task: the task moves to the other worker, nothing is lost', async () => {
    const victim = await relayWorker();
    const survivor = connectWorkers.find((worker) => worker.name !== victim)?.name;
    expect(victim).toBeDefined();
    let movedAfterMs = 0;
    const { report } = await survivesUnderLoad(`kill -9 ${victim}`, () =>
      // Kept down until the relay runs on the other worker: the failover under test.
      crash(victim!, async (downAt) => {
        await waitFor(
          `the outbox relay's task to run on ${survivor}`,
          async () => (await relayWorker()) === survivor,
          { timeoutMs: 90_000, pollMs: 500 },
        );
        movedAfterMs = Date.now() - downAt;
      }),
    );
    console.log(
      `[cluster fault: kill -9 ${victim}] the relay ran on ${survivor} ${(movedAfterMs / 1000).toFixed(1)} s later`,
    );
    expect(Object.keys(report.byStatus).filter((s) => !['200', '201'].includes(s))).toEqual([]);
  }, 900_000);
});
