/**
 * Loaded by tracing-probe.ts once tracing has (or has not) started, like the service
 * catalog by services/serve.ts: these imports are the first to load http, pg and kafkajs.
 */
import http from 'node:http';
import { trace } from '@opentelemetry/api';
import { Kafka } from 'kafkajs';
import pg from 'pg';

const patched = (fn: unknown) => (fn as { __wrapped?: boolean }).__wrapped === true;

/** Whether spans record, which OpenTelemetry SDK modules are loaded and what is patched. */
export function instrumentationReport() {
  const span = trace.getTracer('probe').startSpan('probe');
  const kafka = new Kafka({ clientId: 'probe', brokers: ['127.0.0.1:9'] });
  const report = {
    spanRecording: span.isRecording(),
    sdkModules: Object.keys(require.cache).filter((file) =>
      /@opentelemetry\/(sdk-|exporter-|instrumentation)/.test(file),
    ).length,
    httpPatched: patched(http.request),
    pgPatched: patched(pg.Client.prototype.query),
    kafkajsPatched: patched(kafka.consumer),
  };
  span.end();
  return report;
}
