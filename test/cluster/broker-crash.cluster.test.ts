import { crash, leaderOf } from '../support/cluster-faults';
import { faultsUnderLoad } from '../support/fault-under-load';

// Two processes of every service, as the cluster profile runs them.
const survivesUnderLoad = faultsUnderLoad(2);

describe('the cluster profile under a steady command load', () => {
  it('kill -9 of the broker leading a busy partition: nothing accepted is lost, the purchase completes', async () => {
    const victim = await leaderOf('property.events', 0);
    const { report } = await survivesUnderLoad(`kill -9 ${victim}`, () => crash(victim, 20_000));
    // Commands need only Postgres: none was refused while a broker was gone.
    expect(Object.keys(report.byStatus).filter((s) => !['200', '201'].includes(s))).toEqual([]);
  }, 900_000);
});
