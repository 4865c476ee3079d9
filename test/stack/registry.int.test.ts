import { randomUUID } from 'node:crypto';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';

const registry = new SchemaRegistry({ host: infrastructureConfig().SCHEMA_REGISTRY_URL });

const schemaNamed = (name: string, extraFields: object[] = []) =>
  JSON.stringify({
    type: 'record',
    name,
    namespace: 'dev.deedstream.smoke',
    fields: [{ name: 'propertyId', type: 'string' }, { name: 'amountMinor', type: 'long' }, ...extraFields],
  });

describe('schema registry (Apicurio, Confluent API)', () => {
  it('registers an Avro schema and round-trips a record in the Confluent wire format', async () => {
    const subject = `smoke-${randomUUID()}-value`;
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: schemaNamed(`Smoke${randomUUID().replace(/-/g, '')}`) },
      { subject },
    );
    const record = { propertyId: 'p-1', amountMinor: 45_000_000 };
    const bytes = await registry.encode(id, record);
    expect(bytes[0]).toBe(0); // magic byte
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(await registry.decode(bytes)).toEqual(record);
  });

  it('rejects a BACKWARD-incompatible change to a subject', async () => {
    const subject = `smoke-${randomUUID()}-value`;
    const name = `Compat${randomUUID().replace(/-/g, '')}`;
    await registry.register({ type: SchemaType.AVRO, schema: schemaNamed(name) }, { subject });
    // A new field without a default cannot be read from old records: incompatible.
    const breaking = schemaNamed(name, [{ name: 'currency', type: 'string' }]);
    await expect(registry.register({ type: SchemaType.AVRO, schema: breaking }, { subject })).rejects.toThrow(
      /409|ncompatible/,
    );
    const compatible = schemaNamed(name, [{ name: 'currency', type: 'string', default: 'EUR' }]);
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: compatible }, { subject }),
    ).resolves.toHaveProperty('id');
  });
});
