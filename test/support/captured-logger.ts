import pino from 'pino';
import type { Logger } from '../../services/shared/observability/logger';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose JSON lines are kept in memory, so a test can assert on what was logged. */
export function capturedLogger(level = 'info'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

/** pino's numeric levels. */
export const logLevels = { info: 30, warn: 40, error: 50 } as const;
