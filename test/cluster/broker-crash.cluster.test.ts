import { awaitCaughtUp } from '../support/caught-up';
import { crash, leaderOf } from '../support/cluster-faults';
import { CommandLoad, stopEveryLoad } from '../support/command-load';
import { awaitDelivered } from '../support/delivered';
import { localUser } from '../support/identities';
import { endOffsets } from '../support/pipeline';
import { awaitProjected, projectionDrift } from '../support/projections-clean';
import { purchaseOutcome, startPurchaseOverHttp } from '../support/purchases';
import { startSupervised, stopEveryProcess, urlOf, type Supervised } from '../support/service-processes';
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
  it('kill -9 of the broker leading a busy partition: nothing accepted is lost, the purchase completes', async () => {
    const from = await endOffsets('property.events');
    const pidsBefore = system.pids();
    const seller = await localUser('seller1');
    const load = new CommandLoad(urlOf('property'), 15, () => seller.headers());
    load.start();
    await waitFor('the load to get going', () => load.acceptedSince(0).length >= 30, 30_000);
    const purchase = await startPurchaseOverHttp();
    const victim = await leaderOf('property.events', 0);
    const { downAt, backAt } = await crash(victim, 20_000);
    await waitFor('commands after the outage', () => load.acceptedSince(backAt).length >= 30, 60_000);
    const report = await load.stop();

    const delivery = await awaitDelivered('property.events', from, report.accepted);
    expect(delivery.missing).toEqual([]);
    await awaitProjected((id) => `${urlOf('search')}/search/properties/${id}`, report.accepted, 180_000);
    await awaitProjected(
      (id) => `${urlOf('analytics')}/analytics/properties/${id}`,
      report.accepted,
      180_000,
    );
    expect(await projectionDrift(new Set(report.properties))).toEqual({
      'property-search': [],
      'market-analytics': [],
    });
    const saga = await purchaseOutcome(purchase.transactionId, purchase.buyer);
    expect(saga).toEqual(expect.objectContaining({ status: 'COMPLETED' }));
    // Commands need only Postgres: no service process restarted, none refused a command.
    expect(system.pids()).toEqual(pidsBefore);
    expect(Object.keys(report.byStatus).filter((s) => !['200', '201'].includes(s))).toEqual([]);
    console.log(
      `[cluster fault: kill -9 ${victim}] down ${((backAt - downAt) / 1000).toFixed(1)} s; ` +
        `read models complete ${((Date.now() - backAt) / 1000).toFixed(1)} s after it was back; ` +
        `${report.accepted.length} accepted, answers ${JSON.stringify(report.byStatus)}; ` +
        `lost ${delivery.missing.length}, delivered twice ${delivery.duplicates}; purchase ${saga.status}`,
    );
  }, 900_000);
});
