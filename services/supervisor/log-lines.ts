import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/** Calls `onLine` with every line a child writes on `stream` (stdout or stderr). */
export function eachLine(stream: Readable | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

/**
 * The message of a pino line at level error (50) or above, so the supervisor can say why
 * a process died in the line that announces its restart; undefined for anything else.
 */
export function errorMessageOf(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as { level?: unknown; msg?: unknown; err?: { message?: unknown } };
    if (typeof entry.level !== 'number' || entry.level < 50) return undefined;
    const cause = typeof entry.err?.message === 'string' ? `: ${entry.err.message}` : '';
    return `${typeof entry.msg === 'string' ? entry.msg : 'error'}${cause}`;
  } catch {
    return undefined;
  }
}
