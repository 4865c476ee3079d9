import type { EventSchema } from './event-schema';
import { extendedLock, fingerprintOf, lockOf, schemaGateViolations } from './schema-lock';

const sample = (
  schemaVersion: number,
  fields: EventSchema['schema']['fields'],
  doc?: string,
): EventSchema => ({
  eventType: 'Sample',
  schemaVersion,
  schema: {
    type: 'record',
    name: 'Sample',
    namespace: 'dev.deedstream.test',
    fields,
    ...(doc ? { doc } : {}),
  },
});
const v1 = sample(1, [{ name: 'a', type: 'string' }]);
const v2 = sample(2, [
  { name: 'a', type: 'string' },
  { name: 'b', type: 'string', default: 'none' },
]);
const set = (...schemas: EventSchema[]) => [{ topic: 'sample.events', schemas }];
const published = lockOf(set(v1, v2));

describe('the schema gate', () => {
  it('lets the published schemas through unchanged, prose edits included', () => {
    const reworded = sample(1, [{ name: 'a', type: 'string', doc: 'clearer now' }], 'A sample.');
    expect(fingerprintOf(reworded.schema)).toBe(fingerprintOf(v1.schema));
    expect(schemaGateViolations(published, set(reworded, v2))).toEqual([]);
  });

  it('stops a published schema that changed, naming it and what to do instead', () => {
    const changed = sample(1, [{ name: 'a', type: 'long' }]);
    expect(schemaGateViolations(published, set(changed, v2))).toEqual([
      expect.stringMatching(
        /sample\.events-dev\.deedstream\.test\.Sample v1 was published and has changed: .*add v2 instead/,
      ),
      // v2 (a: string) cannot read v1 data whose a is now a long either.
      expect.stringMatching(/v2 cannot read data written with v1/),
    ]);
  });

  it('stops a published schema that was removed', () => {
    expect(schemaGateViolations(published, set(v2))).toEqual([
      expect.stringMatching(/v1 was published and is gone/),
    ]);
  });

  it('stops a new version that is not in the lock, and one that cannot read every earlier version', () => {
    // Reads v2 data (b is there), not v1 data (b has no default): BACKWARD would pass it, BACKWARD_TRANSITIVE does not.
    const v3 = sample(3, [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'string' },
    ]);
    expect(schemaGateViolations(published, set(v1, v2, v3))).toEqual([
      expect.stringMatching(/Sample v3 is not in the schema lock/),
      expect.stringMatching(/Sample v3 cannot read data written with v1/),
    ]);
  });

  it('checks every version against all before it, not only the newest', () => {
    // v2 cannot read v1 (b has no default) while v3 can: landing both at once must still fail on v2.
    const v2Breaking = sample(2, [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'string' },
    ]);
    const v3 = sample(3, [{ name: 'a', type: 'string' }]);
    const lock = lockOf(set(v1, v2Breaking, v3));
    expect(schemaGateViolations(lock, set(v1, v2Breaking, v3))).toEqual([
      expect.stringMatching(/Sample v2 cannot read data written with v1/),
    ]);
  });

  it('locks new schemas without ever rewriting a published entry', () => {
    const v3 = sample(3, [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'string', default: 'none' },
      { name: 'c', type: ['null', 'string'], default: null },
    ]);
    const tampered = [{ ...published[0]!, fingerprint: '0'.repeat(64) }, published[1]!];
    const next = extendedLock(tampered, set(v1, v2, v3));
    expect(next.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(next[0]?.fingerprint).toBe('0'.repeat(64));
    expect(schemaGateViolations(next, set(v1, v2, v3))).toEqual([
      expect.stringMatching(/v1 was published and has changed/),
    ]);
  });
});
