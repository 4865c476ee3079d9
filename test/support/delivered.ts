import { type Offsets, readUntil } from './pipeline';

/** How the accepted commands of a test arrived on Kafka. */
export interface Delivery {
  /** Accepted (id@version) that never arrived. */
  missing: string[];
  /** Messages that arrived more than once (at-least-once delivery after a crash). */
  duplicates: number;
}

/**
 * Reads `topic` from `from` until every accepted (aggregate id, version) has arrived, or
 * `timeoutMs` passes; reports what is missing and how many arrived twice.
 */
export async function awaitDelivered(
  topic: string,
  from: Offsets,
  accepted: ReadonlyArray<{ id: string; version: number }>,
  timeoutMs = 90_000,
): Promise<Delivery> {
  const wanted = new Set(accepted.map((a) => `${a.id}@${a.version}`));
  const seen = new Map<string, number>();
  try {
    await readUntil(
      topic,
      from,
      (messages) => {
        const last = messages.at(-1);
        if (last) {
          const key = `${last.key}@${last.headers.aggregateVersion}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
        return [...wanted].every((w) => seen.has(w));
      },
      timeoutMs,
    );
  } catch {
    // Timed out: what is missing is the finding.
  }
  return {
    missing: [...wanted].filter((w) => !seen.has(w)),
    duplicates: [...seen.values()].filter((n) => n > 1).length,
  };
}
