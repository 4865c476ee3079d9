import {
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import { messageOf } from '../errors/message-of';

/**
 * The services' own spans. Through the OpenTelemetry API only: without a started SDK
 * (TRACING_ENABLED=false, or a service started in-process by a test) every call is a no-op.
 */
export const tracer = trace.getTracer('deedstream');

/**
 * The correlation id (X-Correlation-Id, a purchase's transaction id) as a span attribute:
 * the HTTP server span, the event store append, each consumed message. Zipkin finds the
 * traces of one correlation id by it (`annotationQuery=deedstream.correlation_id=<id>`).
 */
export const CORRELATION_ID_ATTRIBUTE = 'deedstream.correlation_id';

/**
 * The W3C traceparent of the active span, as stored in event metadata and outbox rows (and
 * relayed by Debezium as the `traceparent` Kafka header), so the trace continues in every
 * consumer. Undefined outside any span, and always when tracing is off.
 */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Stands in for a span where none is recorded: every call on it does nothing. */
const notRecorded = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Runs `work` in a new active span, a child of the active one, ended when it settles and
 * marked failed if it throws. Outside a recorded trace it runs `work` as it is: no span, no
 * context. `attributes` is called only when the span is recorded.
 */
export function inSpan<T>(
  name: string,
  attributes: () => Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  if (!trace.getActiveSpan()?.isRecording()) return work(notRecorded);
  return tracer.startActiveSpan(name, async (span) => {
    if (span.isRecording()) span.setAttributes(attributes());
    try {
      return await work(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed with the error that ended its work. */
export function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: messageOf(error),
  });
}

/** Reads the W3C trace context Debezium relays from the outbox row as the `traceparent` header. */
export const kafkaHeaders: TextMapGetter<IHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value = headers[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** The trace context a message's headers carry, if any (its writer was in a trace). */
export function messageContext(headers: IHeaders | undefined): Context | undefined {
  const parent = propagation.extract(ROOT_CONTEXT, headers ?? {}, kafkaHeaders);
  return trace.getSpanContext(parent) ? parent : undefined;
}

/**
 * Runs a consumer's handling of one message in a CONSUMER span of the trace its headers
 * carry, when that trace is recorded; otherwise runs it as it is (no span, no context).
 */
export function inMessageSpan<T>(
  name: string,
  headers: IHeaders | undefined,
  attributes: () => Attributes,
  work: () => Promise<T>,
): Promise<T> {
  const parent = messageContext(headers);
  if (!parent || !((trace.getSpanContext(parent)?.traceFlags ?? 0) & TraceFlags.SAMPLED)) return work();
  const span = tracer.startSpan(name, { kind: SpanKind.CONSUMER }, parent);
  if (!span.isRecording()) return work();
  span.setAttributes(attributes());
  const correlationId = kafkaHeaders.get(headers ?? {}, 'correlationId');
  if (correlationId) span.setAttribute(CORRELATION_ID_ATTRIBUTE, correlationId);
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await work();
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}
