import { randomUUID } from 'node:crypto';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { loadPropertyEventSchemas, propertyUpcasters } from '../../property/published';
import { representativeEvents } from '../../property/domain/representative-events';
import { infrastructureConfig } from '../service/infrastructure';
import { AvroEventCodec } from './avro-event-codec';
import { checkCompatibility } from './compatibility';
import type { EventSchema } from './event-schema';

const registryUrl = infrastructureConfig().SCHEMA_REGISTRY_URL;
const registry = new SchemaRegistry({ host: registryUrl });

describe('AvroEventCodec against the real registry', () => {
  it('round-trips every property event type through the registry', async () => {
    // A topic of its own, so this test never races the service's subjects.
    const codec = new AvroEventCodec(
      registry,
      `codec-test-${randomUUID()}`,
      await loadPropertyEventSchemas(),
    );
    await codec.registerAll();
    const events = representativeEvents();
    for (const event of events) {
      // Each type as the service writes it now: its newest schema version.
      const version = propertyUpcasters.currentVersion(event.type);
      const bytes = await codec.encode(event.type, version, event.data);
      expect(bytes.readInt32BE(1)).toBe(await codec.schemaId(event.type, version));
      // A fresh registry client resolves the id itself, as a consumer would.
      const decoded = await new AvroEventCodec(new SchemaRegistry({ host: registryUrl }), 'any', []).decode(
        bytes,
      );
      expect(JSON.parse(JSON.stringify(decoded))).toEqual(event.data);
    }
  });

  it('caches schema ids: a second encode asks the registry nothing', async () => {
    const codec = new AvroEventCodec(
      registry,
      `codec-cache-${randomUUID()}`,
      await loadPropertyEventSchemas(),
    );
    await codec.registerAll();
    const [event] = representativeEvents();
    const version = propertyUpcasters.currentVersion(event!.type);
    await codec.encode(event!.type, version, event!.data);
    const spy = jest.spyOn(registry, 'getRegistryIdBySchema');
    await codec.encode(event!.type, version, event!.data);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('reports an incompatible change naming the field, and accepts a compatible one', async () => {
    const topic = `compat-test-${randomUUID()}`;
    const schemas = await loadPropertyEventSchemas();
    const listed = schemas.find((s) => s.eventType === 'PropertyListed') as EventSchema;
    await new AvroEventCodec(registry, topic, [listed]).registerAll();

    const breaking: EventSchema = {
      ...listed,
      schemaVersion: 2,
      schema: {
        ...listed.schema,
        fields: [...listed.schema.fields, { name: 'energyLabel', type: 'string' }],
      },
    };
    const verdict = await checkCompatibility(registryUrl, topic, breaking);
    expect(verdict.status).toBe('incompatible');
    expect(verdict.status === 'incompatible' && verdict.reason).toMatch(/energyLabel/);

    const evolving: EventSchema = {
      ...listed,
      schemaVersion: 2,
      schema: {
        ...listed.schema,
        fields: [...listed.schema.fields, { name: 'energyLabel', type: ['null', 'string'], default: null }],
      },
    };
    expect((await checkCompatibility(registryUrl, topic, evolving)).status).toBe('compatible');
    expect((await checkCompatibility(registryUrl, topic, listed)).status).toBe('unchanged');
  });

  it('holds every subject to BACKWARD_TRANSITIVE: a schema that reads the latest version but not the first is refused', async () => {
    const topic = `transitive-test-${randomUUID()}`;
    const version = (schemaVersion: number, fields: EventSchema['schema']['fields']): EventSchema => ({
      eventType: 'Sample',
      schemaVersion,
      schema: { type: 'record', name: 'Sample', namespace: 'dev.deedstream.test', fields },
    });
    const first = version(1, [{ name: 'a', type: 'string' }]);
    const second = version(2, [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'string', default: 'none' },
    ]);
    // Reads v2 data (b is there) but not v1 data (b is missing and has no default).
    const third = version(3, [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'string' },
    ]);
    await new AvroEventCodec(registry, topic, [first, second]).registerAll();
    const subject = new AvroEventCodec(registry, topic, [first]).subjects()[0]!;
    const config = await fetch(`${registryUrl}/config/${encodeURIComponent(subject)}`);
    expect(await config.json()).toMatchObject({ compatibilityLevel: 'BACKWARD_TRANSITIVE' });
    await expect(new AvroEventCodec(registry, topic, [third]).registerAll()).rejects.toThrow();
  });
});
