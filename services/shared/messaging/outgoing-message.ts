import type { Insertable } from 'kysely';
import type { OutboxTable } from '../outbox/outbox-table';
import { activeTraceparent } from '../observability/trace-context';
import { outboxRows } from '../outbox/outbox-writer';
import type { MessageCodecs } from './message-codecs';

/** A command or reply on its way out through the sender's outbox. */
export interface OutgoingMessage {
  /** The topic it is relayed to, e.g. `payment.commands`. */
  channel: string;
  /** Kafka key: messages with one key are delivered in order. */
  key: string;
  type: string;
  data: object;
  messageId: string;
  /** Every message of one business process (one purchase) carries the same correlation id. */
  correlationId: string;
  /** The message (or request) that caused this one. */
  causationId: string | null;
  /** Position of the message in its process (sent as the aggregateVersion header). */
  sequence: number;
  /** The user on whose behalf the process runs (the buyer of a purchase), kept at every step. */
  actor: string | null;
}

/** Outbox rows for messages: Avro-encoded now, so the transaction that inserts them stays short. */
export async function messageOutboxRows(
  codecs: MessageCodecs,
  messages: readonly OutgoingMessage[],
): Promise<Array<Insertable<OutboxTable>>> {
  const occurredAt = new Date();
  // The span handling the request or message that caused these: the receiver's work joins its trace.
  const traceparent = activeTraceparent() ?? null;
  const encoded = await Promise.all(
    messages.map(async (m) => ({
      id: m.messageId,
      aggregateType: m.channel,
      aggregateId: m.key,
      type: m.type,
      payload: await codecs.encode(m.channel, m.type, m.data),
      eventId: m.messageId,
      aggregateVersion: m.sequence,
      correlationId: m.correlationId,
      causationId: m.causationId,
      traceparent,
      actor: m.actor,
      occurredAt,
    })),
  );
  return outboxRows(encoded);
}
