import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

interface Waiter {
  pattern: RegExp;
  resolve: (match: RegExpExecArray) => void;
  reject: (error: Error) => void;
}

/** Lines a child wrote (stdout and stderr), and bounded waits for one that matches. */
export class ChildOutput {
  readonly lines: string[] = [];
  private readonly waiters = new Set<Waiter>();
  private closedBecause: string | undefined;

  follow(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.add(line));
    }
  }

  /** The last `count` lines, for an error message. */
  tail(count = 20): string {
    return this.lines.slice(-count).join('\n');
  }

  /**
   * The first line from now on (or already written, if `past`) matching `pattern`. Rejects
   * after `timeoutMs`, or at once when the output closes (the child exited) before a match.
   */
  waitFor(pattern: RegExp, timeoutMs: number, past = false): Promise<RegExpExecArray> {
    if (past) {
      for (const line of this.lines) {
        const match = pattern.exec(line);
        if (match) return Promise.resolve(match);
      }
    }
    if (this.closedBecause) return Promise.reject(this.noMatch(pattern, this.closedBecause));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        pattern,
        resolve: (match) => {
          clearTimeout(timer);
          resolve(match);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(this.noMatch(pattern, `within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** No more lines will come: every pending wait fails now, naming `reason`. */
  close(reason: string): void {
    this.closedBecause = reason;
    for (const waiter of this.waiters) waiter.reject(this.noMatch(waiter.pattern, reason));
    this.waiters.clear();
  }

  private add(line: string): void {
    this.lines.push(line);
    if (process.env.DEEDSTREAM_TEST_VERBOSE) process.stderr.write(`${line}\n`);
    for (const waiter of this.waiters) {
      const match = waiter.pattern.exec(line);
      if (match) {
        this.waiters.delete(waiter);
        waiter.resolve(match);
      }
    }
  }

  private noMatch(pattern: RegExp, why: string): Error {
    return new Error(`no line matching ${pattern} (${why}); last lines:\n${this.tail(15)}`);
  }
}
