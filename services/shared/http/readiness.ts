import { messageOf } from '../errors/message-of';

/** A dependency check: resolves when the dependency answers, throws (with the reason) when not. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  /** 'up', or why the check failed. */
  checks: Record<string, string>;
}

/**
 * The checks behind /health/ready. Each runs with a time limit, all at once, so a
 * dependency that hangs makes the answer "not ready" in about `timeoutMs`, never a hang.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async report(timeoutMs = 1_500): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await runBounded(check, timeoutMs)] as const),
    );
    return { ready: entries.every(([, result]) => result === 'up'), checks: Object.fromEntries(entries) };
  }
}

async function runBounded(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([check().then(() => 'up'), timeout]);
  } catch (error) {
    return messageOf(error);
  } finally {
    clearTimeout(timer);
  }
}
