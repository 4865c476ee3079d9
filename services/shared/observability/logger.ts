import pino, { type Logger } from 'pino';
import { redactedLogPaths } from '../config/secrets';

/** Structured JSON logs on stdout, one logger per process, named by service; secrets redacted. */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: { paths: redactedLogPaths, censor: '[redacted]' },
  });
}

export type { Logger };
