import { CommandLoad, type LoadReport } from './command-load';
import { awaitDelivered, type Delivery } from './delivered';
import { localUser } from './identities';
import { endOffsets } from './pipeline';
import { awaitProjected, projectionDrift, searchAndAnalytics } from './projections-clean';
import { purchaseOutcome, startPurchaseOverHttp } from './purchases';
import { startSupervised, stopEveryProcess, urlOf, type Supervised } from './service-processes';
import { stopEveryLoad } from './command-load';
import { awaitCaughtUp } from './caught-up';
import { startStack } from './stack-faults';
import { waitFor } from './wait-for';
import { replicatedServices } from '../../stack/topology';

/** When a fault began, and when what it broke was healthy again (epoch ms). */
export interface Outage {
  downAt: number;
  backAt: number;
}

/**
 * A steady command load runs while `fault` happens, and a purchase is started just before
 * it. Everything must resume by itself: every accepted command reaches Kafka and both read
 * models (which verify clean), the purchase completes, and no service process restarts.
 * Logs the outage, the recovery time and the lost and duplicated counts under `label`.
 */
export async function survivesUnderLoad(
  system: Supervised,
  label: string,
  fault: () => Promise<Outage>,
): Promise<{ report: LoadReport; delivery: Delivery }> {
  const from = await endOffsets('property.events');
  const pidsBefore = system.pids();
  const seller = await localUser('seller1');
  const load = new CommandLoad(urlOf('property'), 15, () => seller.headers());
  load.start();
  await waitFor('the load to get going', () => load.acceptedSince(0).length >= 30, 30_000);
  const purchase = await startPurchaseOverHttp();
  const { downAt, backAt } = await fault();
  await waitFor('commands after the outage', () => load.acceptedSince(backAt).length >= 30, 60_000);
  const report = await load.stop();

  const delivery = await awaitDelivered('property.events', from, report.accepted);
  expect(delivery.missing).toEqual([]);
  await awaitProjected((id) => `${urlOf('search')}/search/properties/${id}`, report.accepted, 180_000);
  await awaitProjected((id) => `${urlOf('analytics')}/analytics/properties/${id}`, report.accepted, 180_000);
  expect(await projectionDrift(new Set(report.properties), searchAndAnalytics)).toEqual({
    'property-search': [],
    'market-analytics': [],
  });
  const saga = await purchaseOutcome(purchase.transactionId, purchase.buyer);
  // The whole saga on failure: its cause says which step ran out of time.
  expect(saga).toEqual(expect.objectContaining({ status: 'COMPLETED' }));
  expect(system.pids()).toEqual(pidsBefore);

  console.log(
    `[fault: ${label}] down ${((backAt - downAt) / 1000).toFixed(1)} s; read models complete ${((Date.now() - backAt) / 1000).toFixed(1)} s after it was back; ` +
      `${report.accepted.length} accepted, answers ${JSON.stringify(report.byStatus)}; lost ${delivery.missing.length}, delivered twice ${delivery.duplicates}; purchase ${saga.status}`,
  );
  return { report, delivery };
}

/**
 * The services a fault test puts under load: the write path, the purchase saga and the two
 * read models it checks. People, valuation and audit (nor the console) take no part in what
 * these tests measure, and on two cores every extra process slows the recovery they time.
 */
const unmeasured: readonly string[] = ['people', 'valuation', 'audit'];
const loadedServices = replicatedServices.filter((service) => !unmeasured.includes(service));

/**
 * A test file's system under faults: its services started once (with `replicas` processes
 * each) before its tests and stopped after them, the stack brought back whatever a failed
 * test left stopped. Returns the check each test runs its fault through.
 */
export function faultsUnderLoad(
  replicas = 1,
): (label: string, fault: () => Promise<Outage>) => ReturnType<typeof survivesUnderLoad> {
  let system: Supervised | undefined;
  beforeAll(async () => {
    system = await startSupervised({
      only: loadedServices,
      replicas: Object.fromEntries(loadedServices.map((service) => [service, replicas])),
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
  return (label, fault) => {
    if (!system) throw new Error('the services under load did not start');
    return survivesUnderLoad(system, label, fault);
  };
}
