import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { loadPropertyEventSchemas, propertyUpcasters } from '../../property/published';
import { representativeEvents } from '../../property/domain/representative-events';
import { infrastructureConfig } from '../service/infrastructure';
import { AvroEventCodec } from './avro-event-codec';
import { EventDecoder } from './event-decoder';

const registryUrl = new URL(infrastructureConfig().SCHEMA_REGISTRY_URL);

/**
 * A registry that can be taken away: an HTTP proxy in front of the real one. Once cut, it
 * refuses every request the way a stopped registry does (the connection is closed), so a
 * client behind it shows what it can still do from what it learnt before.
 */
class CuttableRegistry {
  private cut = false;
  private readonly server: Server = createServer((incoming, outgoing) => {
    if (this.cut) {
      incoming.socket.destroy();
      return;
    }
    const forwarded = request(
      {
        host: registryUrl.hostname,
        port: registryUrl.port,
        method: incoming.method,
        path: `${registryUrl.pathname.replace(/\/$/, '')}${incoming.url ?? ''}`,
        headers: { ...incoming.headers, host: registryUrl.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forwarded);
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  takeDown(): void {
    this.cut = true;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const proxy = new CuttableRegistry();
let proxyUrl: string;
beforeAll(async () => {
  proxyUrl = await proxy.listen();
});
afterAll(() => proxy.close());

describe('schema ids learnt ahead (a registry outage after start)', () => {
  it('an encoder and a decoder that preloaded keep writing and reading every known version while the registry is away; one that did not cannot', async () => {
    // A topic of its own, registered through the real registry.
    const topic = `preload-test-${randomUUID()}`;
    const schemas = await loadPropertyEventSchemas();
    await new AvroEventCodec(new SchemaRegistry({ host: registryUrl.href }), topic, schemas).registerAll();

    const writer = new AvroEventCodec(new SchemaRegistry({ host: proxyUrl }), topic, schemas);
    const stream = { topic, load: loadPropertyEventSchemas, upcasters: propertyUpcasters };
    const reader = new EventDecoder(new SchemaRegistry({ host: proxyUrl }), [stream]);
    const unprepared = new EventDecoder(new SchemaRegistry({ host: proxyUrl }), [stream]);
    // One id per event type written (its newest version) and one per known version read.
    const newestVersions = new Set(schemas.map((s) => s.eventType)).size;
    expect(await writer.preload()).toBe(newestVersions);
    expect(await reader.preload()).toBe(schemas.length);
    // An old version too: a v1 PropertyListed, as an old service wrote it, before the outage.
    const v1 = schemas.find((s) => s.eventType === 'PropertyListed' && s.schemaVersion === 1);
    if (!v1) throw new Error('PropertyListed v1 schema missing');
    const listed = representativeEvents().find((e) => e.type === 'PropertyListed');
    if (!listed) throw new Error('no representative PropertyListed');
    const {
      ownerId: _owner,
      listingAgent: _agent,
      ...v1Fields
    } = listed.data as unknown as Record<string, unknown>;
    const v1Bytes = await writer.encode('PropertyListed', 1, { ...v1Fields, propertyId: randomUUID() });

    proxy.takeDown();

    for (const event of representativeEvents()) {
      const version = propertyUpcasters.currentVersion(event.type);
      const bytes = await writer.encode(event.type, version, event.data);
      const decoded = await reader.decode(topic, bytes);
      expect({ type: decoded.eventType, data: decoded.data }).toEqual({ type: event.type, data: event.data });
    }
    const old = await reader.decode(topic, v1Bytes);
    expect({ type: old.eventType, written: old.writtenVersion }).toEqual({
      type: 'PropertyListed',
      written: 1,
    });
    expect(old.data).toMatchObject({ ownerId: null, listingAgent: null });

    // The control: without preloading, the same bytes need the registry, which is away.
    await expect(unprepared.decode(topic, v1Bytes)).rejects.toThrow();
  });
});
