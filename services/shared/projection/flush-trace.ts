import { context, ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Span } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import {
  CORRELATION_ID_ATTRIBUTE,
  failed,
  kafkaHeaders,
  messageContext,
  tracer,
} from '../observability/trace-context';
import type { FoldOutcome } from './fold';

/** What became of a message in a flush, recorded on its span. */
export type MessageOutcome = FoldOutcome | 'parked';

/**
 * The spans of one projector flush, which mixes messages of many traces (every command
 * whose events it folds) and writes them all with ONE Elasticsearch bulk request.
 *
 * - Each message gets a span "<projection> project", a child of the context its
 *   `traceparent` header carries, so it lies in the trace of the command that caused the
 *   event: from the decoding of the batch until its write is acknowledged.
 * - The bulk request gets a span "<projection> bulk write" in EACH trace of the flush, the
 *   child of that trace's first "project" span and as long as the request. A single span
 *   linked from the others would leave every trace but one without its write (Zipkin shows
 *   no links), and "was this command's event written to the index, and how long did that
 *   take" is what a trace is read for. The copies say what they share: `projection.bulk.id`
 *   names the one request, `projection.bulk.traces` how many traces it served. The
 *   Elasticsearch client's own span of the request (`bulk`, with its HTTP span) is recorded
 *   once, under the bulk write span of the trace that `projection.bulk.id` starts with.
 *
 * Messages without a trace context (tracing was off when they were written) get no span,
 * and neither does anything when tracing is off: then this costs a header lookup per message.
 */
export class FlushTrace {
  private readonly spans = new Map<KafkaMessage, Span>();
  /** The first "project" span of each trace in the flush: where that trace's bulk write span goes. */
  private readonly firstOfTrace = new Map<string, Span>();

  private constructor(private readonly projection: string) {}

  static begin(
    projection: string,
    chunks: ReadonlyArray<{ topic: string; partition: number; messages: readonly KafkaMessage[] }>,
  ): FlushTrace {
    const flush = new FlushTrace(projection);
    for (const { topic, partition, messages } of chunks) {
      for (const message of messages) {
        const parent = messageContext(message.headers);
        const parentSpan = parent && trace.getSpanContext(parent);
        // A message outside a recorded trace gets no span (its writer's trace was not sampled).
        if (!parent || !parentSpan || !(parentSpan.traceFlags & TraceFlags.SAMPLED)) continue;
        const span = tracer.startSpan(
          `${projection} project`,
          {
            kind: SpanKind.CONSUMER,
            attributes: {
              'messaging.system': 'kafka',
              'messaging.destination.name': topic,
              'messaging.destination.partition.id': String(partition),
              'messaging.kafka.offset': Number(message.offset),
              'messaging.kafka.message.key': message.key?.toString() ?? '',
              'projection.name': projection,
              [CORRELATION_ID_ATTRIBUTE]: kafkaHeaders.get(message.headers ?? {}, 'correlationId'),
            },
          },
          parent,
        );
        flush.spans.set(message, span);
        if (!flush.firstOfTrace.has(parentSpan.traceId)) flush.firstOfTrace.set(parentSpan.traceId, span);
      }
    }
    return flush;
  }

  /** Records what the fold made of a message (and, for a parked one, why). */
  note(message: KafkaMessage, outcome: MessageOutcome, reason?: string): void {
    const span = this.spans.get(message);
    if (!span) return;
    span.setAttribute('projection.outcome', outcome);
    if (reason !== undefined) span.setAttribute('projection.park_reason', reason);
  }

  /** Runs the flush's bulk request, recorded as a "bulk write" span in every trace of the flush. */
  async bulkWrite<T>(documents: number, write: () => Promise<T>): Promise<T> {
    if (this.firstOfTrace.size === 0 || documents === 0) return write();
    const bulkSpans: Span[] = [];
    for (const project of this.firstOfTrace.values()) {
      bulkSpans.push(
        tracer.startSpan(
          `${this.projection} bulk write`,
          {
            kind: SpanKind.INTERNAL,
            attributes: {
              'projection.name': this.projection,
              'projection.bulk.documents': documents,
              'projection.bulk.messages': this.spans.size,
              'projection.bulk.traces': this.firstOfTrace.size,
            },
          },
          trace.setSpan(ROOT_CONTEXT, project),
        ),
      );
    }
    const carrier = bulkSpans[0] as Span;
    const bulkId = `${carrier.spanContext().traceId}/${carrier.spanContext().spanId}`;
    for (const span of bulkSpans) span.setAttribute('projection.bulk.id', bulkId);
    try {
      // The client's own span of the request is a child of the active span: the carrier.
      return await context.with(trace.setSpan(ROOT_CONTEXT, carrier), write);
    } catch (error) {
      for (const span of bulkSpans) failed(span, error);
      throw error;
    } finally {
      for (const span of bulkSpans) span.end();
    }
  }

  /** Ends every message's span; an error (the flush will be retried) marks them failed. */
  end(error?: unknown): void {
    for (const span of this.spans.values()) {
      if (error !== undefined) failed(span, error);
      span.end();
    }
  }
}
