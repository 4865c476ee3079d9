import avro from 'avsc';
import { noUpcasters } from './stream-schemas';
import type { Upcasters } from './upcasters';
import { subjectFor, type EventSchema } from './event-schema';
import { messageOf } from '../errors/message-of';

/** The schemas of one published stream, with the upcasters its readers apply. */
export interface GoldenSet {
  topic: string;
  schemas: readonly EventSchema[];
  upcasters?: Upcasters;
}

/** The name of the fixture of one schema version: bytes once written with that version. */
export function goldenFixtureName(topic: string, schema: EventSchema): string {
  return `${subjectFor(topic, schema.schema)}.v${schema.schemaVersion}.avro`;
}

/**
 * A new fixture for a schema version: a value of that version (avsc's random value: every
 * field, union branch and enum symbol is the schema's own), in Avro binary. It is written
 * once, committed, and never rewritten: later code must keep reading it.
 */
export function newGoldenFixture(schema: EventSchema): Buffer {
  const type = avro.Type.forSchema(schema.schema as avro.Schema);
  return type.toBuffer(type.random());
}

const newestOf = (schemas: readonly EventSchema[], eventType: string): EventSchema | undefined =>
  schemas
    .filter((s) => s.eventType === eventType)
    .reduce<EventSchema | undefined>((a, b) => (!a || b.schemaVersion > a.schemaVersion ? b : a), undefined);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** The paths of `expected` that `actual` lacks (a field a reader would find undefined). */
function missingPaths(expected: unknown, actual: unknown, at: string[] = []): string[] {
  if (!isObject(expected) || !isObject(actual)) return [];
  return Object.keys(expected).flatMap((key) =>
    key in actual
      ? missingPaths(expected[key], actual[key], [...at, key])
      : [`${[...at, key].join('.')} missing`],
  );
}

/**
 * Where `value` is not exactly a value of `type`: invalid or undeclared fields, and fields
 * it lacks even where the schema has a default (readers get the upcast value, not the
 * registry's default, so they would find undefined). Empty: it is one.
 */
function mismatches(schema: EventSchema['schema'], value: Record<string, unknown>): string[] {
  const declared = new Set(schema.fields.map((field) => field.name));
  const undeclared = Object.keys(value)
    .filter((key) => !declared.has(key))
    .map((key) => `${key} undeclared`);
  const type = avro.Type.forSchema(schema as avro.Schema);
  const invalid: string[] = [];
  type.isValid(value, { errorHook: (path) => invalid.push(`${path.join('.') || '(the record)'} invalid`) });
  if (invalid.length > 0) return [...undeclared, ...invalid];
  const complete: unknown = JSON.parse(JSON.stringify(type.fromBuffer(type.toBuffer(value))));
  return [...undeclared, ...missingPaths(complete, value)];
}

/**
 * Why the golden corpus does not hold: a schema version without its fixture, a fixture its
 * own writer schema cannot decode, or one that the readers' path (decode with the writer's
 * schema, then upcast in code) does not turn into a valid value of the event type's newest
 * version. `fixtures` maps fixture names (goldenFixtureName) to their bytes. Empty: it holds.
 */
export function goldenCorpusViolations(
  sets: readonly GoldenSet[],
  fixtures: ReadonlyMap<string, Buffer>,
): string[] {
  const violations: string[] = [];
  for (const set of sets) {
    const upcasters = set.upcasters ?? noUpcasters;
    for (const schema of set.schemas) {
      const name = goldenFixtureName(set.topic, schema);
      const label = `${subjectFor(set.topic, schema.schema)} v${schema.schemaVersion}`;
      const bytes = fixtures.get(name);
      if (!bytes) {
        violations.push(
          `${label} has no golden fixture: run \`npm run schemas -- golden\` and commit schema-golden/${name}`,
        );
        continue;
      }
      let written: unknown;
      try {
        written = avro.Type.forSchema(schema.schema as avro.Schema).fromBuffer(bytes);
      } catch (error) {
        violations.push(`${label}: its golden fixture does not decode with it: ${messageOf(error)}`);
        continue;
      }
      // As readers do: plain JSON values, then the stream's upcasters.
      const data = JSON.parse(JSON.stringify(written)) as Record<string, unknown>;
      const newest = newestOf(set.schemas, schema.eventType) ?? schema;
      const current = upcasters.upcast(schema.eventType, schema.schemaVersion, data);
      const paths = mismatches(newest.schema, current);
      if (paths.length > 0)
        violations.push(
          `${label}: its golden fixture, upcast, is not a valid ${schema.eventType} v${newest.schemaVersion} (${paths.join(', ')}): add or fix the v${schema.schemaVersion} upcaster`,
        );
    }
  }
  return violations;
}
