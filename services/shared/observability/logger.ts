import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout, one logger per process, named by service. */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service } });
}

export type { Logger };
