import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { KafkaMessage } from 'kafkajs';
import { tracer } from '../observability/trace-context';
import { FlushTrace } from './flush-trace';

// An SDK for this file only: spans end up in memory, the W3C propagator and async context as in a service.
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});
beforeEach(() => exporter.reset());

const traceA = { traceId: 'a'.repeat(32), spanId: '1'.repeat(16) };
const traceB = { traceId: 'b'.repeat(32), spanId: '2'.repeat(16) };

function message(offset: number, parent?: { traceId: string; spanId: string }): KafkaMessage {
  return {
    key: Buffer.from(`property-${offset}`),
    value: Buffer.from('avro'),
    offset: String(offset),
    timestamp: '0',
    attributes: 0,
    headers: {
      correlationId: Buffer.from(`correlation-${offset}`),
      ...(parent ? { traceparent: Buffer.from(`00-${parent.traceId}-${parent.spanId}-01`) } : {}),
    },
  };
}

const finished = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);

describe('FlushTrace: one bulk write, many traces', () => {
  it('records each message in the trace its traceparent names, and the bulk write once per trace', async () => {
    const [a1, a2, b1, untraced] = [message(1, traceA), message(2, traceA), message(3, traceB), message(4)];
    const flush = FlushTrace.begin('property-search', [
      { topic: 'property.events', partition: 0, messages: [a1, a2] },
      { topic: 'property.events', partition: 5, messages: [b1, untraced] },
    ]);
    flush.note(a1, 'applied');
    flush.note(a2, 'duplicate');
    flush.note(b1, 'parked', 'handler-error');
    flush.note(untraced, 'applied');
    let activeInWrite: string | undefined;
    const written = await flush.bulkWrite(3, async () => {
      // What the Elasticsearch client's own span would be a child of.
      tracer.startSpan('bulk').end();
      activeInWrite = trace.getActiveSpan()?.spanContext().traceId;
      return 'acknowledged';
    });
    flush.end();

    expect(written).toBe('acknowledged');
    const projects = finished('property-search project');
    // The untraced message gets no span; each other one is a child of its own trace's context.
    expect(projects.map((s) => [s.spanContext().traceId, s.parentSpanContext?.spanId])).toEqual([
      [traceA.traceId, traceA.spanId],
      [traceA.traceId, traceA.spanId],
      [traceB.traceId, traceB.spanId],
    ]);
    expect(projects.map((s) => s.attributes['projection.outcome'])).toEqual([
      'applied',
      'duplicate',
      'parked',
    ]);
    expect(projects[2]?.attributes).toMatchObject({
      'projection.park_reason': 'handler-error',
      'messaging.destination.partition.id': '5',
      'messaging.kafka.offset': 3,
      'deedstream.correlation_id': 'correlation-3',
    });

    const bulks = finished('property-search bulk write');
    expect(bulks.map((s) => s.spanContext().traceId)).toEqual([traceA.traceId, traceB.traceId]);
    // Each under the first message span of its trace, all naming the same request.
    expect(bulks.map((s) => s.parentSpanContext?.spanId)).toEqual([
      projects[0]?.spanContext().spanId,
      projects[2]?.spanContext().spanId,
    ]);
    const carrier = bulks[0];
    const bulkId = `${carrier?.spanContext().traceId}/${carrier?.spanContext().spanId}`;
    for (const bulk of bulks) {
      expect(bulk.attributes).toMatchObject({
        'projection.bulk.id': bulkId,
        'projection.bulk.traces': 2,
        'projection.bulk.messages': 3,
        'projection.bulk.documents': 3,
      });
    }
    // The request itself runs in the carrier's context: its span lands in trace A only.
    expect(activeInWrite).toBe(traceA.traceId);
    expect(finished('bulk').map((s) => s.parentSpanContext?.spanId)).toEqual([carrier?.spanContext().spanId]);
  });

  it('marks the spans of a failed flush as failed and rethrows', async () => {
    const flush = FlushTrace.begin('market-analytics', [
      { topic: 'property.events', partition: 1, messages: [message(7, traceA)] },
    ]);
    const failure = new Error('es_rejected_execution_exception');
    await expect(flush.bulkWrite(1, () => Promise.reject(failure))).rejects.toBe(failure);
    flush.end(failure);
    for (const name of ['market-analytics bulk write', 'market-analytics project']) {
      expect(finished(name).map((s) => s.status)).toEqual([
        { code: SpanStatusCode.ERROR, message: 'es_rejected_execution_exception' },
      ]);
    }
  });

  it('writes without spans when nothing in the flush carries a trace', async () => {
    const flush = FlushTrace.begin('property-search', [
      { topic: 'property.events', partition: 0, messages: [message(9)] },
    ]);
    let activeInWrite: unknown = 'unset';
    await flush.bulkWrite(1, async () => {
      activeInWrite = trace.getActiveSpan();
    });
    flush.end();
    expect(activeInWrite).toBeUndefined();
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(context.active()).toBe(ROOT_CONTEXT);
  });
});
