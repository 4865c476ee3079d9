import { propertySearchProjection } from '../../services/search/projections/property-search-projection';
import { answersFor, awaitGreen, crash, primaryHolderOf } from '../support/cluster-faults';
import { faultsUnderLoad } from '../support/fault-under-load';
import { urlOf } from '../support/service-processes';

// Two processes of every service, as the cluster profile runs them.
const survivesUnderLoad = faultsUnderLoad(2);

describe('the cluster profile under a steady command load', () => {
  it('kill -9 of the Elasticsearch node holding the search primary: search keeps answering, the projections catch up', async () => {
    const victim = await primaryHolderOf(propertySearchProjection.alias);
    let searches: number[] = [];
    const { report } = await survivesUnderLoad(`kill -9 ${victim}`, async () => {
      const outage = await crash(victim, async () => {
        // While it is gone: the replica on the other data node answers every search.
        searches = await answersFor(`${urlOf('search')}/search/properties?city=Amsterdam`, 20_000);
      });
      // Back: it takes its replicas again, so every shard has two copies once more.
      await awaitGreen(120_000);
      return outage;
    });
    const refused = searches.filter((status) => status !== 200);
    console.log(
      `[cluster fault: kill -9 ${victim}] ${searches.length} searches while it was down, ${refused.length} not 200`,
    );
    expect(searches.length).toBeGreaterThan(20);
    expect(refused).toEqual([]);
    expect(Object.keys(report.byStatus).filter((s) => !['200', '201'].includes(s))).toEqual([]);
  }, 900_000);
});
