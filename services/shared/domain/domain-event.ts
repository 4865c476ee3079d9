/**
 * A fact that happened to one aggregate. `type` names it in the past tense
 * (PropertyListed); `data` is its payload, plain JSON-compatible values only, because
 * it is stored as jsonb and encoded as Avro.
 */
export interface DomainEvent<TType extends string = string, TData extends object = object> {
  readonly type: TType;
  readonly data: TData;
}

/** An event as the store recorded it: its place in the stream and the global log. */
export interface RecordedEvent<E extends DomainEvent = DomainEvent> {
  readonly event: E;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamType: string;
  readonly version: number;
  readonly position: bigint;
  readonly schemaVersion: number;
  readonly occurredAt: Date;
  readonly metadata: EventMetadata;
}

/** Who and what caused an event; stored beside it and carried as Kafka headers. */
export interface EventMetadata {
  readonly eventId: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly traceparent: string | null;
  readonly actor: string | null;
}
