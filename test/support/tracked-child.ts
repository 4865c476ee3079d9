import { spawn, type ChildProcess } from 'node:child_process';
import { ChildOutput } from './child-output';

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const describeExit = ({ code, signal }: ChildExit) =>
  signal ? `killed by ${signal}` : `exited with ${code}`;

/**
 * A child process a test file started, watched from spawn to exit. Every promise it makes
 * has a handler: a child that dies never becomes an unhandled rejection (which would end
 * the whole jest process and every file after this one). A death the test did not ask for
 * is kept and reported by `stopEveryChild`, the afterAll of each file that starts children,
 * so it fails that file with the child's last lines.
 */
export class TrackedChild {
  readonly output = new ChildOutput();
  /** Settles when the child has exited; never rejects. */
  readonly exited: Promise<ChildExit>;
  private stopRequested = false;
  private readonly process: ChildProcess;

  constructor(
    readonly label: string,
    command: string,
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ) {
    this.process = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    this.output.follow(this.process);
    this.exited = new Promise<ChildExit>((resolve) => {
      // 'error' alone (spawn failed: no such command) is followed by no 'exit' event.
      this.process.once('error', (error) => {
        this.output.lines.push(`spawn failed: ${error.message}`);
        if (this.process.pid === undefined) resolve({ code: null, signal: null });
      });
      this.process.once('exit', (code, signal) => resolve({ code, signal }));
    }).then((exit) => {
      this.output.close(`${this.label} ${describeExit(exit)}`);
      tracked.delete(this);
      if (!this.stopRequested) unexpectedDeaths.set(this, this.deathReport(exit));
      return exit;
    });
    tracked.add(this);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /**
   * Runs `work` (a start-up: waiting for a line, for readiness) unless the child dies first;
   * then it fails at once with the child's last lines. If it fails either way, the child is
   * stopped before the error goes on, so nothing is left running.
   */
  async during<T>(what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    const died = (exit: ChildExit) => new Error(`${this.deathReport(exit)}\n(while ${what})`);
    const death = this.exited.then((exit): never => {
      throw died(exit);
    });
    // The race below handles the rejection; this marks it handled when work wins.
    death.catch(() => undefined);
    try {
      return await Promise.race([work(abort.signal), death]);
    } catch (error) {
      abort.abort();
      // The work may fail first because of the death (its output closed): say the death.
      const cause = this.running ? error : died(await this.exited);
      this.forget();
      await this.stop('SIGKILL', 10_000);
      throw cause;
    } finally {
      abort.abort();
    }
  }

  /** Sends `signal`, then SIGKILL if the child has not exited within `timeoutMs`. A death asked for is not reported. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<ChildExit> {
    this.stopRequested = true;
    if (this.running) {
      this.process.kill(signal);
      const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
      try {
        return await this.exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return this.exited;
  }

  /** This child's death was already reported (a failed start): stopEveryChild need not repeat it. */
  private forget(): void {
    this.stopRequested = true;
    unexpectedDeaths.delete(this);
  }

  private deathReport(exit: ChildExit): string {
    return `${this.label} (pid ${this.pid ?? '-'}) ${describeExit(exit)}; its last lines:\n${this.output.tail()}`;
  }
}

const tracked = new Set<TrackedChild>();
const unexpectedDeaths = new Map<TrackedChild, string>();

/**
 * Stops every child still running (SIGTERM, then SIGKILL after a bound), then fails if any
 * child died without being asked to: the afterAll of each file that starts children. All
 * test files share one jest process (--runInBand), so a child one file left behind would
 * otherwise join the next file's consumer groups.
 */
export async function stopEveryChild(): Promise<void> {
  await Promise.all([...tracked].map((child) => child.stop('SIGTERM', 30_000)));
  const deaths = [...unexpectedDeaths.values()];
  unexpectedDeaths.clear();
  if (deaths.length > 0) {
    throw new Error(`${deaths.length} child process(es) died during this file:\n${deaths.join('\n\n')}`);
  }
}
