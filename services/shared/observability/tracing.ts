import type { IncomingMessage } from 'node:http';
import { diag, DiagLogLevel, trace } from '@opentelemetry/api';
import type { Sampler, SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { createLogger } from './logger';
import { CORRELATION_ID_ATTRIBUTE } from './trace-context';
import { tracingConfig } from './tracing-config';

/** The OpenTelemetry SDK of this process, started; `shutdown` exports what is buffered and stops it. */
export interface Tracing {
  shutdown(): Promise<void>;
}

/** Kubernetes-style probes and Prometheus scrapes: polled all the time, never worth a trace. */
const PROBE_PATH = /^\/(health(\/live|\/ready)?|metrics)(\?|$)/;

/** Spans wait at most this long in memory before they are sent to Zipkin (one POST per process). */
const EXPORT_DELAY_MS = 1_000;
/**
 * Spans buffered while an export is in flight; more are dropped, never waited for. A
 * projector's flush of 500 messages records about a thousand spans at once.
 */
const QUEUE_SIZE = 8_192;

/**
 * Starts OpenTelemetry for one service process and registers the http, express, pg and
 * kafkajs instrumentations. Instrumentations hook `require`, so this must run before any of
 * those modules is loaded: services/serve.ts calls it first and only then loads the service.
 * With TRACING_ENABLED=false it returns undefined having loaded nothing of the SDK: the
 * OpenTelemetry API the code calls stays a no-op and no module is patched.
 * Throws ConfigError when a tracing variable is invalid.
 */
export async function startTracing(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Tracing | undefined> {
  const config = tracingConfig(env);
  if (!config.TRACING_ENABLED) return undefined;

  // Loaded here and only here, so a process with tracing off never loads the SDK.
  const [sdkNode, traceBase, resources, zipkin, http, express, pg, kafkajs] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/exporter-zipkin'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-kafkajs'),
  ]);
  reportExportFailures(serviceName);

  const replica = env.DEEDSTREAM_REPLICA;
  const sdk = new sdkNode.NodeSDK({
    serviceName,
    // Zipkin copies every resource attribute into every span's tags: the host and process
    // detectors would add fifteen of them (a third of the bytes exported) and say little.
    autoDetectResources: false,
    resource: resources.resourceFromAttributes({
      'service.name': serviceName,
      'service.namespace': 'deedstream',
      ...(replica ? { 'service.instance.id': `${serviceName}#${replica}` } : {}),
    }),
    // Traces only: metrics stay with Prometheus (/metrics). Without these the SDK would set
    // up OTLP metric and log exporters to :4318, and with no metric reader the
    // instrumentations' duration histograms are not recorded at all.
    metricReaders: [],
    logRecordProcessors: [],
    spanProcessors: [
      new traceBase.BatchSpanProcessor(new zipkin.ZipkinExporter({ url: config.ZIPKIN_URL, serviceName }), {
        scheduledDelayMillis: EXPORT_DELAY_MS,
        maxQueueSize: QUEUE_SIZE,
        maxExportBatchSize: 1_024,
      }),
    ],
    // The ratio applies where a trace begins; a traceparent from upstream decides for its trace.
    sampler: skippingUntracedPolls(
      new traceBase.ParentBasedSampler({
        root: new traceBase.TraceIdRatioBasedSampler(config.TRACING_SAMPLE_RATIO),
      }),
      traceBase.SamplingDecision.NOT_RECORD,
    ),
    instrumentations: [
      new http.HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => PROBE_PATH.test(request.url ?? ''),
        // Calls made outside any trace (readiness checks, lag polling) would each start a trace of one span.
        requireParentforOutgoingSpans: true,
        // The id the service answered with (given by the client or made by request-context.ts).
        applyCustomAttributesOnSpan: (span, _request, response) => {
          if (!('getHeader' in response)) return; // an outgoing call's response
          const correlationId = response.getHeader('x-correlation-id');
          if (typeof correlationId === 'string') span.setAttribute(CORRELATION_ID_ATTRIBUTE, correlationId);
        },
      }),
      // The request handler's span names the route; a span per middleware and router would triple the count.
      new express.ExpressInstrumentation({
        ignoreLayersType: [express.ExpressLayerType.MIDDLEWARE, express.ExpressLayerType.ROUTER],
      }),
      new pg.PgInstrumentation({
        // Periodic work (saga sweeps, outbox housekeeping) queries outside any trace: not traced.
        requireParentSpan: true,
        // Taking a pooled connection is a span per query that is almost always empty.
        ignoreConnectSpans: true,
      }),
      new kafkajs.KafkaJsInstrumentation({
        consumerHook: (span, { message }) => {
          const correlationId = message.headers?.correlationId?.toString();
          if (correlationId) span.setAttribute(CORRELATION_ID_ATTRIBUTE, correlationId);
        },
      }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

/**
 * kafkajs' instrumentation starts a trace of its own for every batch a consumer fetches
 * (a "poll" span, with a span per message under it that only links to the message's
 * trace). The projectors record their work in each message's own trace instead
 * (projection/flush-trace.ts), so those traces would be one per batch and say nothing:
 * they are not recorded, and so neither is anything under them.
 */
function skippingUntracedPolls(next: Sampler, notRecord: SamplingDecision): Sampler {
  return {
    shouldSample(parent, traceId, name, kind, attributes, links) {
      if (attributes['messaging.operation.type'] === 'receive' && !trace.getSpanContext(parent)) {
        return { decision: notRecord };
      }
      return next.shouldSample(parent, traceId, name, kind, attributes, links);
    },
    toString: () => `SkippingUntracedPolls{${next.toString()}}`,
  };
}

/**
 * The SDK reports a failed export (Zipkin down) through its diagnostic logger, which is
 * silent by default. Say so in the service's log, at most once a minute: spans are then
 * dropped, and the service carries on.
 */
function reportExportFailures(serviceName: string): void {
  const logger = createLogger(serviceName);
  let lastReportAt = 0;
  const report = (message: string, ...args: unknown[]) => {
    const now = Date.now();
    if (now - lastReportAt < 60_000) return;
    lastReportAt = now;
    logger.warn(
      { detail: args.map(String).join(' ') },
      `tracing: ${message} (spans are dropped; repeated at most once a minute)`,
    );
  };
  const ignore = () => undefined;
  diag.setLogger(
    { error: report, warn: ignore, info: ignore, debug: ignore, verbose: ignore },
    { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true },
  );
}
