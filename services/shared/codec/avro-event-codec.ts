import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { subjectFor, type EventSchema } from './event-schema';
import { subjectCompatibility } from './subject-compatibility';

export class UnknownEventSchemaError extends Error {
  constructor(eventType: string, schemaVersion: number) {
    super(
      `no Avro schema for ${eventType} v${schemaVersion}: add schemas/${eventType}.v${schemaVersion}.avsc`,
    );
    this.name = 'UnknownEventSchemaError';
  }
}

/**
 * Encodes event payloads as Avro in the Confluent wire format (magic byte, schema id,
 * body) with schemas from the registry. Schema ids are looked up once per event type
 * and version, then served from memory; the registry client caches schemas by id.
 */
export class AvroEventCodec {
  private readonly schemas = new Map<string, EventSchema>();
  private readonly ids = new Map<string, Promise<number>>();

  constructor(
    readonly registry: SchemaRegistry,
    readonly topic: string,
    schemas: readonly EventSchema[],
  ) {
    for (const schema of schemas) this.schemas.set(key(schema.eventType, schema.schemaVersion), schema);
  }

  get eventSchemas(): EventSchema[] {
    return [...this.schemas.values()];
  }

  /** The registry id of an event type's schema; registered by `npm run schemas -- register`. */
  schemaId(eventType: string, schemaVersion: number): Promise<number> {
    const k = key(eventType, schemaVersion);
    let id = this.ids.get(k);
    if (!id) {
      const schema = this.schemas.get(k);
      if (!schema) return Promise.reject(new UnknownEventSchemaError(eventType, schemaVersion));
      id = this.registry.getRegistryIdBySchema(subjectFor(this.topic, schema.schema), {
        type: SchemaType.AVRO,
        schema: JSON.stringify(schema.schema),
      });
      // A failed lookup (registry down) must not stay cached.
      id.catch(() => this.ids.delete(k));
      this.ids.set(k, id);
    }
    return id;
  }

  /**
   * Looks up, while the registry answers, the id and schema of each event type's newest
   * version (the ones this codec writes), so that a registry outage later does not hold up
   * writing. Lookups that fail are left to the lazy path; returns how many succeeded.
   */
  async preload(): Promise<number> {
    const newest = new Map<string, EventSchema>();
    for (const schema of this.schemas.values()) {
      const known = newest.get(schema.eventType);
      if (!known || known.schemaVersion < schema.schemaVersion) newest.set(schema.eventType, schema);
    }
    const results = await Promise.allSettled(
      [...newest.values()].map(async (schema) => {
        await this.registry.getSchema(await this.schemaId(schema.eventType, schema.schemaVersion));
      }),
    );
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  async encode(eventType: string, schemaVersion: number, data: object): Promise<Buffer> {
    const id = await this.schemaId(eventType, schemaVersion);
    return this.registry.encode(id, data);
  }

  async decode<T = unknown>(bytes: Buffer): Promise<T> {
    return (await this.registry.decode(bytes)) as T;
  }

  /** The registry subject of each schema (one subject per record name; versions share it). */
  subjects(): string[] {
    return [...new Set([...this.schemas.values()].map((schema) => subjectFor(this.topic, schema.schema)))];
  }

  /**
   * Registers every schema under its subject with BACKWARD_TRANSITIVE compatibility
   * (subject-compatibility.ts; a subject made under another rule must have it applied
   * first, as provisioning does); returns subject → id.
   */
  async registerAll(): Promise<Map<string, number>> {
    const registered = new Map<string, number>();
    for (const schema of this.schemas.values()) {
      const subject = subjectFor(this.topic, schema.schema);
      const { id } = await this.registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema.schema) },
        { subject, compatibility: subjectCompatibility },
      );
      registered.set(`${subject} (v${schema.schemaVersion})`, id);
      this.ids.set(key(schema.eventType, schema.schemaVersion), Promise.resolve(id));
    }
    return registered;
  }
}

function key(eventType: string, schemaVersion: number): string {
  return `${eventType}@${schemaVersion}`;
}
