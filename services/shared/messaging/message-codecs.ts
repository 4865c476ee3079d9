import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { AvroEventCodec } from '../codec/avro-event-codec';
import type { EventSchema } from '../codec/event-schema';

/** The Avro schemas of one channel (topic), as registered by `npm run schemas -- register`. */
export interface ChannelSchemas {
  topic: string;
  load: () => Promise<EventSchema[]>;
}

/**
 * Encoders for every channel a service writes to, one codec per topic (subjects follow
 * TopicRecordNameStrategy). Each message type is written at its newest schema version.
 */
export class MessageCodecs {
  private constructor(
    private readonly codecs: Map<string, { codec: AvroEventCodec; versions: Map<string, number> }>,
  ) {}

  static async load(registry: SchemaRegistry, channels: readonly ChannelSchemas[]): Promise<MessageCodecs> {
    const codecs = new Map<string, { codec: AvroEventCodec; versions: Map<string, number> }>();
    for (const channel of channels) {
      const schemas = await channel.load();
      const versions = new Map<string, number>();
      for (const s of schemas)
        versions.set(s.eventType, Math.max(versions.get(s.eventType) ?? 0, s.schemaVersion));
      codecs.set(channel.topic, { codec: new AvroEventCodec(registry, channel.topic, schemas), versions });
    }
    const loaded = new MessageCodecs(codecs);
    // In the background (it never rejects): ids learnt now keep a later registry outage
    // from holding up the commands and replies this service writes.
    void loaded.preload();
    return loaded;
  }

  /** Learns every channel's schema ids now (see AvroEventCodec.preload); returns how many. */
  async preload(): Promise<number> {
    const counts = await Promise.all([...this.codecs.values()].map(({ codec }) => codec.preload()));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async encode(topic: string, type: string, data: object): Promise<Buffer> {
    const entry = this.codecs.get(topic);
    if (!entry) throw new Error(`no schemas loaded for channel ${topic}`);
    const version = entry.versions.get(type);
    if (version === undefined) throw new Error(`channel ${topic} has no message type ${type}`);
    return entry.codec.encode(type, version, data);
  }
}
