import { goldenCorpusViolations } from '../shared/codec/golden-corpus';
import { schemaGateViolations } from '../shared/codec/schema-lock';
import { readGoldenCorpus, readSchemaLock, repositorySchemas } from './schema-lock-file';

// The gate CI runs on every change (also `npm run schemas -- gate`): no published schema of
// this repository changed, every new one is locked, every subject reads all its versions,
// and every version's golden fixture reads as the newest version of its type.
describe('the schemas of this repository', () => {
  it('pass the schema gate against schema-lock.json', async () => {
    expect(schemaGateViolations(await readSchemaLock(), await repositorySchemas())).toEqual([]);
  });

  it('have a golden fixture for every version, read as the newest version', async () => {
    const corpus = await readGoldenCorpus();
    expect(corpus.size).toBeGreaterThan(0);
    expect(goldenCorpusViolations(await repositorySchemas(), corpus)).toEqual([]);
  });
});
