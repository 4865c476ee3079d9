import { schemaGateViolations } from '../shared/codec/schema-lock';
import { readSchemaLock, repositorySchemas } from './schema-lock-file';

// The gate CI runs on every change (also `npm run schemas -- gate`): no published schema of
// this repository changed, every new one is locked, every subject reads all its versions.
describe('the schemas of this repository', () => {
  it('pass the schema gate against schema-lock.json', async () => {
    expect(schemaGateViolations(await readSchemaLock(), await repositorySchemas())).toEqual([]);
  });
});
