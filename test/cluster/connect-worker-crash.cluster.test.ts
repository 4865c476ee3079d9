import { connectWorkers } from '../../stack/topology';
import { awaitCaughtUp } from '../support/caught-up';
import { crash, relayWorker } from '../support/cluster-faults';
import { stopEveryLoad } from '../support/command-load';
import { survivesUnderLoad } from '../support/fault-under-load';
import { startSupervised, stopEveryProcess, type Supervised } from '../support/service-processes';
import { startStack } from '../support/stack-faults';
import { waitFor } from '../support/wait-for';

const services = ['property', 'search', 'analytics', 'transaction', 'payment', 'contract', 'title'] as const;

let system: Supervised;
beforeAll(async () => {
  system = await startSupervised({
    only: services,
    replicas: Object.fromEntries(services.map((service) => [service, 2])),
    env: { OFFER_WAIT_MS: '30000' },
  });
  await awaitCaughtUp();
}, 900_000);
afterAll(async () => {
  await stopEveryLoad();
  await system?.stop();
  await stopEveryProcess();
  await startStack();
}, 600_000);

describe('the cluster profile under a steady command load', () => {
  it('kill -9 of the Connect worker running the Debezium task: the task moves to the other worker, nothing is lost', async () => {
    const victim = await relayWorker();
    const survivor = connectWorkers.find((worker) => worker.name !== victim)?.name;
    expect(victim).toBeDefined();
    let movedAfterMs = 0;
    const { report } = await survivesUnderLoad(system, `kill -9 ${victim}`, () =>
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
