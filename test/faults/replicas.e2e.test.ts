import { awaitCaughtUp } from '../support/caught-up';
import { CommandLoad, stopEveryLoad } from '../support/command-load';
import { groupMembers } from '../support/group-members';
import { localUser } from '../support/identities';
import { awaitProjected, projectionDrift } from '../support/projections-clean';
import { startPropertyService, type PropertyHarness } from '../support/property-harness';
import { startServiceProcess, type ServiceProcess, stopEveryProcess } from '../support/service-processes';
import { waitFor } from '../support/wait-for';

const group = 'projection.property-search';
// A killed member's partitions move after its session times out: short here, so the test is.
const replicaEnv = { SEARCH_PORT: '0', KAFKA_SESSION_TIMEOUT_MS: '10000' };

let api: PropertyHarness;
const replicas: ServiceProcess[] = [];

beforeAll(async () => {
  api = await startPropertyService();
}, 600_000);
afterAll(async () => {
  await stopEveryLoad();
  await stopEveryProcess();
  await api?.close();
});

describe('two replicas of the search service', () => {
  it('split the partitions; when one is killed the other takes them all and the index stays complete', async () => {
    replicas.push(
      await startServiceProcess('search', replicaEnv),
      await startServiceProcess('search', replicaEnv),
    );
    await waitFor(
      'both replicas to hold partitions',
      async () => {
        const members = await groupMembers(group);
        return members.length === 2 && members.every((m) => m.partitions > 0);
      },
      120_000,
    );
    // The replicas work off whatever backlog other tests left before the measured part begins.
    await awaitCaughtUp({ [group]: ['property.events'] });
    const split = (await groupMembers(group)).map((m) => m.partitions).sort();
    expect(split.reduce((a, b) => a + b, 0)).toBe(12);

    const seller = await localUser('seller1');
    const load = new CommandLoad(api.baseUrl, 15, () => seller.headers());
    load.start();
    await waitFor('commands before the kill', () => load.acceptedSince(0).length >= 30, 30_000);
    const [victim, survivor] = replicas as [ServiceProcess, ServiceProcess];
    const killedAt = Date.now();
    await victim.kill('SIGKILL');
    await waitFor(
      'the survivor to hold every partition',
      async () => {
        const members = await groupMembers(group);
        return members.length === 1 && members[0]?.partitions === 12;
      },
      120_000,
    );
    const takenOverAt = Date.now();
    await waitFor('commands after the takeover', () => load.acceptedSince(takenOverAt).length >= 30, 30_000);
    const report = await load.stop();

    await awaitProjected((id) => `${survivor.url}/search/properties/${id}`, report.accepted, 120_000);
    expect(await projectionDrift(new Set(report.properties), ['property-search'])).toEqual({
      'property-search': [],
    });
    expect(survivor.output.lines.filter((l) => /"level":60/.test(l))).toEqual([]);
    console.log(
      `[fault: search replica killed] partitions split ${split.join('+')}; the survivor held all 12 ${((takenOverAt - killedAt) / 1000).toFixed(1)} s after kill -9; ` +
        `${report.accepted.length} commands accepted, all projected`,
    );
  }, 600_000);
});
