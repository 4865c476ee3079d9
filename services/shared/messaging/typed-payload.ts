import type { DomainEvent } from '../domain/domain-event';

/** A decoded message as it arrives: its type name and its payload, already at today's version. */
export interface UntypedPayload {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/**
 * The message as a member of its stream's discriminated union (`{ type, data }`), or
 * undefined when the stream has no such type. The one cast of a decoded payload lives here:
 * the decoder read it with its writer's Avro schema and upcast it to the newest version,
 * and the schema gate's golden corpus holds every version to exactly that shape, which the
 * contract's types mirror. Handlers switch on `type` and read typed `data`.
 */
export function typedPayload<U extends DomainEvent>(
  isType: (type: string) => type is U['type'],
  message: UntypedPayload,
): U | undefined {
  if (!isType(message.type)) return undefined;
  return { type: message.type, data: message.data } as unknown as U;
}

/**
 * The type guard and typed reader of one published language, from its version table: the
 * table's type makes it name every member of the union once, so the guard knows them all.
 */
export function payloadReader<U extends DomainEvent>(versions: Readonly<Record<U['type'], number>>) {
  const isType = (value: string): value is U['type'] => Object.prototype.hasOwnProperty.call(versions, value);
  return { isType, read: (message: UntypedPayload): U | undefined => typedPayload<U>(isType, message) };
}

/** For the `default` of an exhaustive switch: a new type in the union fails to compile there. */
export function unhandledType(type: never): never {
  throw new Error(`unhandled message type ${String(type)}`);
}
