import type { ComponentName } from '../../stack/component';
import { faultsUnderLoad } from '../support/fault-under-load';
import { outage } from '../support/stack-faults';

const survivesUnderLoad = faultsUnderLoad();

/** `component` stopped cleanly, kept down `holdMs` and started again, under load (survivesUnderLoad). */
const survives = (component: ComponentName, holdMs: number) =>
  survivesUnderLoad(component, () => outage(component, holdMs));

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
