import { randomUUID } from 'node:crypto';
import { infrastructureConfig } from '../../service/infrastructure';
import { ErasureMatcher } from '../erasure-fingerprint';
import { scannableIndices, scanIndices } from './elasticsearch-scanner';
import { describeFinding } from './finding';
import { ValueProbe } from './value-probe';
import { elasticsearchClient } from '../../elasticsearch/elasticsearch-client';

const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);
const run = randomUUID();
const visible = `privacy-scan-test-${run}`;
const hidden = `privacy-scan-test-hidden-${run}`;
const licence = `BRK-${run.slice(0, 8).toUpperCase()}`;
const phone = `+33 1 ${run.replace(/\D/g, '').padEnd(8, '7').slice(0, 8)}`;
const matcher = ErasureMatcher.forPlainValues([
  { field: 'licenceNumber', kind: 'identifier', value: licence },
  { field: 'phone', kind: 'phone', value: phone },
]);

beforeAll(async () => {
  await es.indices.create({ index: visible });
  await es.indices.create({ index: hidden, settings: { 'index.hidden': true } });
  const operations = Array.from({ length: 2_500 }, (_, i) => [
    { index: { _index: visible, _id: `doc-${i}` } },
    { city: 'Lyon', agent: { notes: [`listing ${i}`] } },
  ]).flat();
  await es.bulk({ operations });
  await es.index({
    index: visible,
    id: 'planted',
    document: { agent: { notes: ['x', `licence ${licence.toLowerCase()}`] } },
  });
  await es.index({ index: hidden, id: phone.replace(/\D/g, ''), document: { parked: true } });
});

afterAll(async () => {
  await es.indices.delete({ index: [visible, hidden] }, { ignore: [404] });
  await es.close();
});

describe('Elasticsearch scanner', () => {
  it('lists every index, hidden ones included', async () => {
    expect(await scannableIndices(es)).toEqual(expect.arrayContaining([visible, hidden]));
  });

  it('finds planted values in _source and in document ids, across pages, in a hidden index too (unrefreshed writes included)', async () => {
    const summary = await scanIndices(es, [visible, hidden], new ValueProbe(matcher));
    expect(summary.scanned).toBe(2_502);
    expect(summary.findings.map(describeFinding).sort()).toEqual(
      [
        `elasticsearch index ${hidden} document ${phone.replace(/\D/g, '')} _id: phone (phone)`,
        `elasticsearch index ${visible} document planted _source.agent.notes[1]: licenceNumber (identifier)`,
      ].sort(),
    );
  });

  it('reports an index that no longer exists as unread', async () => {
    const summary = await scanIndices(es, [`privacy-scan-test-gone-${run}`], new ValueProbe(matcher));
    expect(summary.unread).toEqual([`elasticsearch index privacy-scan-test-gone-${run}: no longer exists`]);
  });
});
