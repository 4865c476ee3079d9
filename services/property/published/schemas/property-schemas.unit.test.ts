import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import avro from 'avsc';
import { propertyEventSchemaVersions, propertyEventTypes, type PropertyEventType } from '../property-events';
import type { EventSchema as PropertyEventSchema } from '../../../shared/codec/event-schema';
import { loadPropertyEventSchemas, propertySchemaDirectory } from './property-schemas';
import { representativeEvents } from '../../domain/representative-events';

let schemas: PropertyEventSchema[];

beforeAll(async () => {
  schemas = await loadPropertyEventSchemas();
});

function currentSchema(eventType: PropertyEventType): PropertyEventSchema {
  const entry = schemas.find(
    (schema) =>
      schema.eventType === eventType && schema.schemaVersion === propertyEventSchemaVersions[eventType],
  );
  if (!entry) throw new Error(`no current schema for ${eventType}`);
  return entry;
}

describe('property event schemas', () => {
  it('has a schema for every version of every event type, up to its current one', () => {
    expect(schemas.map((schema) => `${schema.eventType}.v${schema.schemaVersion}`).sort()).toEqual(
      propertyEventTypes
        .flatMap((eventType) =>
          Array.from({ length: propertyEventSchemaVersions[eventType] }, (_, i) => `${eventType}.v${i + 1}`),
        )
        .sort(),
    );
  });

  it.each(propertyEventTypes)('%s parses with avsc as a record of the property namespace', (eventType) => {
    const type = avro.Type.forSchema(currentSchema(eventType).schema as avro.Schema);
    expect(type.name).toBe(`dev.deedstream.property.${eventType}`);
  });

  it('makes every nullable field default to null, with null first so the default is valid', () => {
    for (const { schema } of schemas) {
      for (const field of schema.fields) {
        if (Array.isArray(field.type)) {
          expect({
            field: `${schema.name}.${field.name}`,
            first: field.type[0],
            default: field.default,
          }).toEqual({
            field: `${schema.name}.${field.name}`,
            first: 'null',
            default: null,
          });
        }
      }
    }
  });

  it('uses one definition of Money and Address everywhere', () => {
    const definitions = new Map<string, string>();
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (typeof node !== 'object' || node === null) return;
      const record = node as { type?: unknown; name?: unknown; fields?: unknown };
      if (record.type === 'record' && (record.name === 'Money' || record.name === 'Address')) {
        const text = JSON.stringify(node);
        expect(definitions.get(record.name) ?? text).toBe(text);
        definitions.set(record.name, text);
      }
      Object.values(node).forEach(visit);
    };
    schemas.forEach((entry) => entry.schema.fields.forEach((field) => visit(field.type)));
    expect([...definitions.keys()].sort()).toEqual(['Address', 'Money']);
  });

  const events = representativeEvents();

  it('is exercised by at least one event of every type', () => {
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(propertyEventTypes));
  });

  it.each(events.map((event, index) => [`${index} ${event.type}`, event] as const))(
    'round-trips event %s through Avro',
    (_label, event) => {
      const { schema } = currentSchema(event.type);
      const type = avro.Type.forSchema(schema as avro.Schema);
      expect(schema.fields.map((field) => field.name).sort()).toEqual(Object.keys(event.data).sort());
      const errors: string[] = [];
      type.isValid(event.data, { errorHook: (at) => errors.push(at.join('.')) });
      expect(errors).toEqual([]);

      const decoded: unknown = type.fromBuffer(type.toBuffer(event.data));
      // avsc decodes records into generated classes; compare as plain JSON like the jsonb copy.
      expect(JSON.parse(JSON.stringify(decoded))).toStrictEqual(event.data);
    },
  );
});

describe('loadPropertyEventSchemas', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'property-schemas-'));
    for (const eventType of propertyEventTypes) {
      const fileName = `${eventType}.v${propertyEventSchemaVersions[eventType]}.avsc`;
      await writeFile(
        path.join(directory, fileName),
        await readFile(path.join(propertySchemaDirectory, fileName)),
      );
    }
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('skips other files, refuses malformed schema names and keeps every version', async () => {
    await writeFile(path.join(directory, 'README.md'), 'notes');
    const v1 = JSON.parse(await readFile(path.join(directory, 'OfferWithdrawn.v1.avsc'), 'utf8')) as object;
    await writeFile(path.join(directory, 'OfferWithdrawn.v0.avsc'), JSON.stringify(v1));
    await expect(loadPropertyEventSchemas(directory)).rejects.toThrow(/<EventType>\.v<N>\.avsc/);
    await rm(path.join(directory, 'OfferWithdrawn.v0.avsc'));
    await writeFile(path.join(directory, 'OfferWithdrawn.v2.avsc'), JSON.stringify(v1));
    const loaded = await loadPropertyEventSchemas(directory);
    expect(
      loaded.filter((entry) => entry.eventType === 'OfferWithdrawn').map((e) => e.schemaVersion),
    ).toEqual([1, 2]);
  });

  it('fails when an event type has no schema for its current version', async () => {
    await rm(path.join(directory, 'PropertySold.v1.avsc'));
    await expect(loadPropertyEventSchemas(directory)).rejects.toThrow(/PropertySold/);
  });

  it('fails on a schema for an event the stream does not have', async () => {
    await writeFile(path.join(directory, 'PropertyDemolished.v1.avsc'), '{}');
    await expect(loadPropertyEventSchemas(directory)).rejects.toThrow(/PropertyDemolished is not an event/);
  });

  it('fails when the record name disagrees with the file name', async () => {
    const sold = await readFile(path.join(directory, 'PropertySold.v1.avsc'), 'utf8');
    await writeFile(path.join(directory, 'OfferWithdrawn.v1.avsc'), sold);
    await expect(loadPropertyEventSchemas(directory)).rejects.toThrow(
      /dev\.deedstream\.property\.OfferWithdrawn/,
    );
  });
});
