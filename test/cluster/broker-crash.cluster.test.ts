import { awaitCaughtUp } from '../support/caught-up';
import { crash, leaderOf } from '../support/cluster-faults';
import { stopEveryLoad } from '../support/command-load';
import { survivesUnderLoad } from '../support/fault-under-load';
import { startSupervised, stopEveryProcess, type Supervised } from '../support/service-processes';
import { startStack } from '../support/stack-faults';

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
  it('kill -9 of the broker leading a busy partition: nothing accepted is lost, the purchase completes', async () => {
    const victim = await leaderOf('property.events', 0);
    const { report } = await survivesUnderLoad(system, `kill -9 ${victim}`, () => crash(victim, 20_000));
    // Commands need only Postgres: none was refused while a broker was gone.
    expect(Object.keys(report.byStatus).filter((s) => !['200', '201'].includes(s))).toEqual([]);
  }, 900_000);
});
