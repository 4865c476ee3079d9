import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { listAsV1Service } from '../../../test/support/old-property-writer';
import { startPropertyService, type PropertyHarness } from '../../../test/support/property-harness';
import { AvroEventCodec } from '../../shared/codec/avro-event-codec';
import { EventDecoder } from '../../shared/codec/event-decoder';
import { infrastructureConfig } from '../../shared/service/infrastructure';
import { loadPropertyEventSchemas, propertyEventStream, propertyTopic } from '.';

/**
 * A PropertyListed exactly as v1 wrote it, kept as a golden file: it must stay readable by
 * every later version of the service, from Kafka and from the event store alike.
 */
const goldenFile = path.join(__dirname, 'schemas', 'golden', 'PropertyListed.v1.json');
let golden: Record<string, unknown>;
let api: PropertyHarness;
const registry = new SchemaRegistry({ host: infrastructureConfig().SCHEMA_REGISTRY_URL });

beforeAll(async () => {
  golden = JSON.parse(await readFile(goldenFile, 'utf8')) as Record<string, unknown>;
  api = await startPropertyService();
});
afterAll(() => api?.close());

/** What v2 readers must see of the golden v1 event. */
const asV2 = (v1: Record<string, unknown>) => {
  const { propertyId: _dropped, ...rest } = v1;
  return { ...rest, ownerId: null, listingAgent: null };
};

describe('PropertyListed v1, written before v2 existed', () => {
  it('is still a valid v1 record (the golden file is what v1 wrote)', async () => {
    const schemas = await loadPropertyEventSchemas();
    const v1 = schemas.find((s) => s.eventType === 'PropertyListed' && s.schemaVersion === 1)!;
    expect(avro.Type.forSchema(v1.schema as avro.Schema).isValid(golden)).toBe(true);
  });

  it('decodes from Kafka bytes with its writer schema and is upcast to v2', async () => {
    const writer = new AvroEventCodec(registry, propertyTopic, await loadPropertyEventSchemas());
    const bytes = await writer.encode('PropertyListed', 1, golden);
    const decoded = await new EventDecoder(registry, [propertyEventStream]).decode(propertyTopic, bytes);
    expect(decoded.writtenVersion).toBe(1);
    expect(decoded.eventType).toBe('PropertyListed');
    expect(decoded.data).toEqual(asV2(golden));
  });

  it('loads from the event store as v2: the aggregate, its history and time travel', async () => {
    // Written as a v1 service wrote it (events row and outbox row, one transaction).
    const id = await listAsV1Service(api.service);

    const history = await api.anonymous('GET', `/properties/${id}/events`);
    expect(history.status).toBe(200);
    const [listed] = history.body.events as Array<{
      type: string;
      schemaVersion: number;
      data: Record<string, unknown>;
    }>;
    expect(listed?.type).toBe('PropertyListed');
    expect(listed?.data).not.toHaveProperty('propertyId');
    expect(listed?.data).toMatchObject({ ownerId: null, listingAgent: null, bedrooms: 4 });

    for (const query of ['', '?version=1']) {
      const state = await api.anonymous('GET', `/properties/${id}${query}`);
      expect(state.status).toBe(200);
      expect(state.body).toMatchObject({ id, version: 1, status: 'listed', ownerId: null, bedrooms: 4 });
    }
  });
});
