import { awaitCaughtUp } from '../support/caught-up';
import { localUser, signIn } from '../support/identities';
import { CommandLoad, stopEveryLoad } from '../support/command-load';
import { awaitDelivered } from '../support/delivered';
import { endOffsets } from '../support/pipeline';
import { awaitProjected, projectionDrift, searchAndAnalytics } from '../support/projections-clean';
import { startSupervised, urlOf, type Supervised, stopEveryProcess } from '../support/service-processes';
import { outage, startStack } from '../support/stack-faults';
import { waitFor } from '../support/wait-for';

let system: Supervised;
beforeAll(async () => {
  system = await startSupervised({ only: ['property', 'search', 'analytics'] });
  await awaitCaughtUp({
    'projection.property-search': ['property.events'],
    'projection.market-analytics': ['property.events'],
  });
}, 600_000);
afterAll(async () => {
  await stopEveryLoad();
  await system?.stop();
  await stopEveryProcess();
  // Whatever a failed test left stopped is started again for the files that follow.
  await startStack();
}, 600_000);

describe('Postgres restarted under a steady command load', () => {
  it('no service process exits; the outage answers 503 + Retry-After; commands succeed within 10 s of its return; nothing is lost', async () => {
    const from = await endOffsets('property.events');
    const pidsBefore = system.pids();
    const seller = await localUser('seller1');
    const load = new CommandLoad(urlOf('property'), 20, () => seller.headers());
    load.start();
    await waitFor('the load to get going', () => load.acceptedSince(0).length >= 40, 30_000);

    const { downAt, backAt } = await outage('postgres', 5_000);
    await waitFor(
      'a command accepted after Postgres returned',
      () => load.acceptedSince(backAt).length > 0,
      10_000,
    );
    const recoveredAt = load.acceptedSince(backAt)[0]?.at ?? Number.NaN;
    await waitFor('more commands after the outage', () => load.acceptedSince(backAt).length >= 40, 30_000);
    const report = await load.stop();

    // Every refusal was a 503 that says when to come back; nothing crashed or hung.
    expect(Object.keys(report.byStatus).filter((s) => !['200', '201', '503'].includes(s))).toEqual([]);
    const refused = report.outcomes.filter((o) => o.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((o) => o.retryAfter !== null)).toBe(true);
    expect(recoveredAt - backAt).toBeLessThan(10_000);

    // Keycloak keeps its realm in the same Postgres: signing in works again without a restart.
    await expect(signIn('buyer2')).resolves.toMatchObject({ username: 'buyer2' });

    // The same processes serve on: none exited or was restarted by the supervisor.
    expect(system.pids()).toEqual(pidsBefore);
    expect(system.output.lines.filter((l) => /^supervisor.*(exited|killed)/.test(l))).toEqual([]);

    const delivery = await awaitDelivered('property.events', from, report.accepted);
    expect(delivery.missing).toEqual([]);
    await awaitProjected((id) => `${urlOf('search')}/search/properties/${id}`, report.accepted);
    await awaitProjected((id) => `${urlOf('analytics')}/analytics/properties/${id}`, report.accepted);
    expect(await projectionDrift(new Set(report.properties), searchAndAnalytics)).toEqual({
      'property-search': [],
      'market-analytics': [],
    });

    console.log(
      `[fault: postgres] down ${((backAt - downAt) / 1000).toFixed(1)} s (held 5 s + start); first command accepted ${((recoveredAt - backAt) / 1000).toFixed(1)} s after it was back; ` +
        `${report.accepted.length} accepted, answers ${JSON.stringify(report.byStatus)}; lost ${delivery.missing.length}, delivered twice ${delivery.duplicates}`,
    );
  }, 300_000);
});
