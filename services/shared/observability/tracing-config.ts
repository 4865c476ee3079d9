import { z } from 'zod';
import { loadConfig } from '../config/load-config';

/**
 * Whether and where a service process exports OpenTelemetry traces. On by default: the
 * stack starts Zipkin, so `npm start` shows the traces of what someone does without
 * configuration (up to TRACING_MAX_TRACES_PER_SECOND new traces a second per process);
 * TRACING_ENABLED=false starts no SDK at all.
 */
export const tracingSchema = z.object({
  TRACING_ENABLED: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('true')
    .transform((value) => value === 'true')
    .describe('start the OpenTelemetry SDK in service processes (false: no SDK, no instrumentation)'),
  ZIPKIN_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:9411/api/v2/spans')
    .describe("Zipkin's span intake (its v2 API) the services export to"),
  TRACING_SAMPLE_RATIO: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(1)
    .describe(
      'share of new traces recorded (0 to 1); a trace continued from a traceparent follows its sampled flag',
    ),
  TRACING_MAX_TRACES_PER_SECOND: z.coerce
    .number()
    .min(0.01)
    .max(100_000)
    .default(5)
    .describe(
      'new traces recorded at most this often per process (a token bucket): every command while someone tries the system, a few per second under load',
    ),
});

export type TracingConfig = z.infer<typeof tracingSchema>;

export function tracingConfig(env: NodeJS.ProcessEnv = process.env): TracingConfig {
  return loadConfig(tracingSchema, env);
}
