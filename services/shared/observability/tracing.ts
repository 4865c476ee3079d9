import { diag, DiagLogLevel } from '@opentelemetry/api';
import { createLogger } from './logger';
import { tracingConfig } from './tracing-config';

/** The OpenTelemetry SDK of this process, started; `shutdown` exports what is buffered and stops it. */
export interface Tracing {
  shutdown(): Promise<void>;
}

/** Spans wait at most this long in memory before they are sent to Zipkin (one POST per process). */
const EXPORT_DELAY_MS = 1_000;
/**
 * Spans buffered while an export is in flight; more are dropped, never waited for. A
 * projector's flush of 500 messages records about a thousand spans at once.
 */
const QUEUE_SIZE = 8_192;

/**
 * Starts OpenTelemetry for one service process: a tracer provider exporting to Zipkin, and
 * nothing patched. The services record their own spans where the work is (the HTTP request,
 * the event store's load and append, each message a consumer handles, each projector flush)
 * and only inside a recorded trace: work outside one pays a header check, no span and no
 * context. Whether a trace is recorded is decided where it begins (head sampling): a
 * traceparent from upstream decides for its trace; a new one is recorded with probability
 * TRACING_SAMPLE_RATIO and at most TRACING_MAX_TRACES_PER_SECOND a second per process, so a
 * developer's every command is traced and a loaded system traces a few per second.
 * With TRACING_ENABLED=false it returns undefined having loaded nothing of the SDK: the
 * OpenTelemetry API the code calls stays a no-op. Throws ConfigError when a tracing
 * variable is invalid.
 */
export async function startTracing(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Tracing | undefined> {
  const config = tracingConfig(env);
  if (!config.TRACING_ENABLED) return undefined;

  // Loaded here and only here, so a process with tracing off never loads the SDK.
  const [sdkNode, traceBase, resources, zipkin, { RateLimitedSampler }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/exporter-zipkin'),
    import('./rate-limited-sampler'),
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
    // up OTLP metric and log exporters to :4318.
    metricReaders: [],
    logRecordProcessors: [],
    spanProcessors: [
      new traceBase.BatchSpanProcessor({
        exporter: new zipkin.ZipkinExporter({ url: config.ZIPKIN_URL, serviceName }),
        scheduledDelayMillis: EXPORT_DELAY_MS,
        maxQueueSize: QUEUE_SIZE,
        maxExportBatchSize: 1_024,
      }),
    ],
    sampler: new traceBase.ParentBasedSampler({
      root: new RateLimitedSampler(config.TRACING_SAMPLE_RATIO, config.TRACING_MAX_TRACES_PER_SECOND),
    }),
    // No instrumentation: patching http, express, pg and kafkajs cost every request and
    // message its wrappers and context whether or not its trace was recorded.
    instrumentations: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
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
