import { context, propagation, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

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

/**
 * Runs `work` in a new active span (a child of the active one), ended when it settles,
 * marked failed if it throws. `attributes` is called only when the span is recorded.
 */
export function inSpan<T>(
  name: string,
  attributes: () => Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
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
    message: error instanceof Error ? error.message : String(error),
  });
}
