import type { ComponentName } from '../../stack/component';
import { awaitCaughtUp } from '../support/caught-up';
import { localUser } from '../support/identities';
import { CommandLoad, type LoadReport, stopEveryLoad } from '../support/command-load';
import { awaitDelivered, type Delivery } from '../support/delivered';
import { endOffsets } from '../support/pipeline';
import { awaitProjected, projectionDrift } from '../support/projections-clean';
import { purchaseOutcome, startPurchaseOverHttp } from '../support/purchases';
import { startSupervised, urlOf, type Supervised, stopEveryProcess } from '../support/service-processes';
import { outage, startStack } from '../support/stack-faults';
import { waitFor } from '../support/wait-for';

let system: Supervised;
beforeAll(async () => {
  system = await startSupervised({
    only: ['property', 'search', 'analytics', 'transaction', 'payment', 'contract', 'title'],
    env: { OFFER_WAIT_MS: '30000' },
  });
  await awaitCaughtUp();
}, 600_000);
afterAll(async () => {
  await stopEveryLoad();
  await system?.stop();
  await stopEveryProcess();
  // Whatever a failed test left stopped is started again for the files that follow.
  await startStack();
}, 600_000);

/**
 * A steady command load runs while `component` is stopped for `holdMs` and started again,
 * and a purchase is started just before the outage. Everything must resume by itself:
 * every accepted command reaches Kafka and both read models, the purchase completes, and
 * no service process exits.
 */
async function survives(
  component: ComponentName,
  holdMs: number,
): Promise<{ report: LoadReport; delivery: Delivery }> {
  const from = await endOffsets('property.events');
  const pidsBefore = system.pids();
  const seller = await localUser('seller1');
  const load = new CommandLoad(urlOf('property'), 15, () => seller.headers());
  load.start();
  await waitFor('the load to get going', () => load.acceptedSince(0).length >= 30, 30_000);
  const purchase = await startPurchaseOverHttp();
  const { downAt, backAt } = await outage(component, holdMs);
  await waitFor('commands after the outage', () => load.acceptedSince(backAt).length >= 30, 60_000);
  const report = await load.stop();

  const delivery = await awaitDelivered('property.events', from, report.accepted);
  expect(delivery.missing).toEqual([]);
  await awaitProjected((id) => `${urlOf('search')}/search/properties/${id}`, report.accepted, 120_000);
  await awaitProjected((id) => `${urlOf('analytics')}/analytics/properties/${id}`, report.accepted, 120_000);
  expect(await projectionDrift(new Set(report.properties))).toEqual({
    'property-search': [],
    'market-analytics': [],
  });
  const saga = await purchaseOutcome(purchase.transactionId, purchase.buyer);
  // The whole saga on failure: its cause says which step ran out of time.
  expect(saga).toEqual(expect.objectContaining({ status: 'COMPLETED' }));
  expect(system.pids()).toEqual(pidsBefore);

  const caughtUpAt = Date.now();
  console.log(
    `[fault: ${component}] down ${((backAt - downAt) / 1000).toFixed(1)} s; read models complete ${((caughtUpAt - backAt) / 1000).toFixed(1)} s after it was back; ` +
      `${report.accepted.length} accepted, answers ${JSON.stringify(report.byStatus)}; lost ${delivery.missing.length}, delivered twice ${delivery.duplicates}; purchase ${saga.status}`,
  );
  return { report, delivery };
}

describe('dependencies restarted under a steady command load', () => {
  it('Kafka down 20 s: Connect, projectors and saga consumers resume; commands are never refused; nothing is lost', async () => {
    const { report } = await survives('kafka', 20_000);
    // Commands only need Postgres: the outbox is the buffer while the broker is away.
    expect(Object.keys(report.byStatus).filter((s) => !['200', '201'].includes(s))).toEqual([]);
  }, 420_000);

  it('the schema registry restarted: relay and consumers resume; nothing is lost', async () => {
    await survives('registry', 5_000);
  }, 420_000);

  it('Elasticsearch down 20 s: projectors retry and catch up; nothing is lost', async () => {
    await survives('elasticsearch', 20_000);
  }, 420_000);
});
