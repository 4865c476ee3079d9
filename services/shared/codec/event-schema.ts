/** One Avro schema of one event type at one schema version, as kept in a service's schemas/ folder. */
export interface EventSchema {
  eventType: string;
  schemaVersion: number;
  /** The parsed .avsc document (an Avro record schema). */
  schema: AvroRecordSchema;
}

export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace?: string;
  readonly fields: ReadonlyArray<{
    readonly name: string;
    readonly type: unknown;
    readonly default?: unknown;
    readonly doc?: string;
  }>;
  readonly doc?: string;
}

export function fullName(schema: AvroRecordSchema): string {
  return schema.namespace ? `${schema.namespace}.${schema.name}` : schema.name;
}

/**
 * Subject naming: TopicRecordNameStrategy, `<topic>-<record full name>`. One topic holds
 * many event types, so each record has its own subject and its own compatibility
 * history; v2 of PropertyListed is checked against v1 of PropertyListed only.
 */
export function subjectFor(topic: string, schema: AvroRecordSchema): string {
  return `${topic}-${fullName(schema)}`;
}
