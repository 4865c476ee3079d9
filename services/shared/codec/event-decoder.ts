import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { subjectFor, type EventSchema } from './event-schema';
import { noUpcasters, type StreamSchemas } from './stream-schemas';

/** A payload decoded with its writer's schema and lifted to the current version of its type. */
export interface DecodedPayload {
  eventType: string;
  /** The version it was written with (1 for a PropertyListed written before v2 existed). */
  writtenVersion: number;
  /** Plain JSON values in the shape of the type's current version. */
  data: Record<string, unknown>;
}

/** The payload's writer schema is not one of the stream's known versions, or the topic is not known. */
export class UnknownWriterSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownWriterSchemaError';
  }
}

interface LoadedStream {
  stream: StreamSchemas;
  /** Parsing-canonical-form fingerprint → the local schema (type and version) it is. */
  byFingerprint: Map<string, EventSchema>;
}

const fingerprintOf = (schema: EventSchema['schema']): string =>
  avro.Type.forSchema(schema as avro.Schema)
    .fingerprint('sha256')
    .toString('hex');

/**
 * Decodes relayed payloads of the streams a consumer reads: the registry gives the writer's
 * schema by the id in the wire format, its fingerprint says which version of which event
 * type it is (matched against the stream's own .avsc files, so an unknown writer is a poison
 * message, not a guess), and the stream's upcasters bring it to today's shape.
 */
export class EventDecoder {
  private readonly loaded = new Map<string, Promise<LoadedStream>>();
  /** `<topic>:<schema id>` → the stream's schema it is (one id may serve several topics). */
  private readonly versions = new Map<string, Promise<EventSchema | undefined>>();

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly streams: readonly StreamSchemas[],
  ) {}

  get topics(): string[] {
    return this.streams.map((s) => s.topic);
  }

  async decode(topic: string, bytes: Buffer): Promise<DecodedPayload> {
    const stream = await this.streamOf(topic);
    const schemaId = bytes.readInt32BE(1);
    const written = await this.writerOf(topic, schemaId, stream);
    if (!written) {
      throw new UnknownWriterSchemaError(
        `schema id ${schemaId} is none of the known versions of the ${topic} event types; add its .avsc to the stream's schemas`,
      );
    }
    const decoded: unknown = await this.registry.decode(bytes);
    // Avro records decode into class instances; handlers want plain JSON values.
    const data = JSON.parse(JSON.stringify(decoded)) as Record<string, unknown>;
    const upcasters = stream.stream.upcasters ?? noUpcasters;
    return {
      eventType: written.eventType,
      writtenVersion: written.schemaVersion,
      data: upcasters.upcast(written.eventType, written.schemaVersion, data),
    };
  }

  /**
   * Learns, while the registry answers, the id of every version of every event type of the
   * streams (and the registry client caches each schema), so that a registry outage later
   * holds up only a writer schema never seen before, not every consumer that has just
   * started. Versions the registry does not know (not registered yet) are left to the lazy
   * lookup; returns how many ids were learnt.
   */
  async preload(): Promise<number> {
    const learnt = await Promise.allSettled(
      this.streams.map(async (stream) => {
        const { byFingerprint } = await this.streamOf(stream.topic);
        const versions = await Promise.allSettled(
          [...byFingerprint.values()].map(async (schema) => {
            const id = await this.registry.getRegistryIdBySchema(subjectFor(stream.topic, schema.schema), {
              type: SchemaType.AVRO,
              schema: JSON.stringify(schema.schema),
            });
            await this.registry.getSchema(id);
            this.versions.set(`${stream.topic}:${id}`, Promise.resolve(schema));
          }),
        );
        return versions.filter((v) => v.status === 'fulfilled').length;
      }),
    );
    return learnt.reduce((sum, s) => sum + (s.status === 'fulfilled' ? s.value : 0), 0);
  }

  private streamOf(topic: string): Promise<LoadedStream> {
    let loaded = this.loaded.get(topic);
    if (!loaded) {
      const stream = this.streams.find((s) => s.topic === topic);
      if (!stream)
        return Promise.reject(new UnknownWriterSchemaError(`no schemas are known for topic ${topic}`));
      loaded = stream.load().then((schemas) => ({
        stream,
        byFingerprint: new Map(schemas.map((s) => [fingerprintOf(s.schema), s])),
      }));
      this.loaded.set(topic, loaded);
    }
    return loaded;
  }

  private writerOf(topic: string, schemaId: number, stream: LoadedStream): Promise<EventSchema | undefined> {
    const key = `${topic}:${schemaId}`;
    let version = this.versions.get(key);
    if (!version) {
      version = this.registry.getSchema(schemaId).then((schema) => {
        const fingerprint = (schema as { fingerprint?: (algorithm: string) => Buffer }).fingerprint?.(
          'sha256',
        );
        return fingerprint ? stream.byFingerprint.get(fingerprint.toString('hex')) : undefined;
      });
      // A failed lookup (registry down) must not stay cached.
      version.catch(() => this.versions.delete(key));
      this.versions.set(key, version);
    }
    return version;
  }
}
