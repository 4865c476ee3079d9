import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { awaitReady } from './await-ready';

const repo = path.resolve(__dirname, '../..');
/**
 * Node with tsx's loader, not tsx's CLI: the CLI runs the script in a child of its own, so a
 * signal (kill -9 above all) would hit the wrapper and leave the real service running.
 */
const node = process.execPath;
const tsxLoader = ['--import', 'tsx'];

/**
 * Ports the test processes listen on: the defaults + 10000, so a developer's `npm start`
 * on the default ports does not collide with them.
 */
export const testPorts = {
  console: 13000,
  property: 13001,
  search: 13002,
  analytics: 13003,
  transaction: 13004,
  payment: 13005,
  contract: 13006,
  title: 13007,
  people: 13008,
} as const;

export type TestService = keyof typeof testPorts;

const portEnv = Object.fromEntries(
  Object.entries(testPorts).map(([service, port]) => [`${service.toUpperCase()}_PORT`, String(port)]),
);

export const urlOf = (service: TestService) => `http://127.0.0.1:${testPorts[service]}`;

/** Lines a child wrote, and a bounded wait for one that matches. */
class Output {
  readonly lines: string[] = [];
  private readonly waiters: Array<{ pattern: RegExp; resolve: (match: RegExpExecArray) => void }> = [];

  follow(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.lines.push(line);
        if (process.env.DEEDSTREAM_TEST_VERBOSE) process.stderr.write(`${line}\n`);
        for (const waiter of [...this.waiters]) {
          const match = waiter.pattern.exec(line);
          if (match) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(match);
          }
        }
      });
    }
  }

  /** The first line from now on (or already written, if `past`) matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs: number, past = false): Promise<RegExpExecArray> {
    if (past) {
      for (const line of this.lines) {
        const match = pattern.exec(line);
        if (match) return Promise.resolve(match);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${this.lines.slice(-15).join('\n')}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({
        pattern,
        resolve: (match) => {
          clearTimeout(timer);
          resolve(match);
        },
      });
    });
  }
}

/** Every child a test started and that has not exited yet. */
const children = new Set<ChildProcess>();

/**
 * Spawns a service process and tracks it: all test files share one jest process
 * (--runInBand), so a child a failed file left behind would join the next file's consumer
 * groups. Every file that starts some stops them all in its afterAll (stopEveryProcess).
 */
function spawnTracked(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(node, [...tsxLoader, ...args], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
/** Stops (SIGTERM, then SIGKILL after a bound) every child still running: an afterAll of each file that starts some. */
export async function stopEveryProcess(): Promise<void> {
  await Promise.all(
    [...children].map((child) => {
      child.kill('SIGTERM');
      return ended(child, 30_000);
    }),
  );
}

/** Runs `starting`; if it fails, the child is stopped before the error goes on. */
async function startedOrStopped<T>(child: ChildProcess, starting: () => Promise<T>): Promise<T> {
  try {
    return await starting();
  } catch (error) {
    child.kill('SIGKILL');
    await ended(child, 10_000);
    throw error;
  }
}

async function ended(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** `npm start` as a child: the supervisor and its service processes, on the test ports. */
export interface Supervised {
  output: Output;
  /** The newest pid of each process label ("property", "search#2") the supervisor announced. */
  pids(): Map<string, number>;
  /** Waits for the supervisor to announce a new pid for `label` (a restart), bounded. */
  restarted(label: string, oldPid: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startSupervised(options: {
  only: readonly TestService[];
  replicas?: Partial<Record<TestService, number>>;
  env?: Record<string, string>;
}): Promise<Supervised> {
  const args = ['services/main.ts', '--only', options.only.join(',')];
  for (const [service, count] of Object.entries(options.replicas ?? {}))
    args.push('--replicas', `${service}=${count}`);
  // The jest global setup has brought the stack up; provisioning still runs (idempotent).
  // Tracing costs CPU the other tests do not need; test/e2e/tracing.e2e.test.ts turns it on.
  const child = spawnTracked(args, {
    ...process.env,
    ...portEnv,
    DEEDSTREAM_EXTERNAL_STACK: 'true',
    LOG_LEVEL: 'info',
    TRACING_ENABLED: 'false',
    ...options.env,
  });
  const output = new Output();
  output.follow(child);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`npm start exited (${code}) while starting:\n${output.lines.slice(-20).join('\n')}`)),
    ),
  );
  await startedOrStopped(child, async () => {
    await Promise.race([output.waitFor(/Ctrl-C stops the services/, 180_000, true), exited]);
    await awaitReady(options.only.map(urlOf));
  });

  const pids = () => {
    const latest = new Map<string, number>();
    for (const line of output.lines) {
      const match = /^supervisor\s+│ (\S+) \(pid (\d+)\) listening/.exec(line);
      if (match?.[1] && match[2]) latest.set(match[1], Number(match[2]));
    }
    return latest;
  };
  return {
    output,
    pids,
    async restarted(label, oldPid, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pid = pids().get(label);
        if (pid !== undefined && pid !== oldPid) return pid;
        if (Date.now() > deadline) {
          throw new Error(
            `${label} was not restarted within ${timeoutMs} ms:\n${output.lines.slice(-15).join('\n')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await ended(child, 60_000);
    },
  };
}

/** `npm run service -- <name>` as a child (no supervisor): one replica on its own port. */
export interface ServiceProcess {
  pid: number;
  url: string;
  output: Output;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServiceProcess(
  service: TestService,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  const child = spawnTracked(['services/serve.ts', service], {
    ...process.env,
    ...portEnv,
    LOG_LEVEL: 'info',
    TRACING_ENABLED: 'false',
    ...env,
  });
  const output = new Output();
  output.follow(child);
  const url = await startedOrStopped(child, async () => {
    const match = await output.waitFor(/serving on (http:\/\/127\.0\.0\.1:\d+)/, 120_000, true);
    await awaitReady([match[1] as string]);
    return match[1] as string;
  });
  return {
    pid: child.pid as number,
    url,
    output,
    async kill(signal = 'SIGTERM') {
      child.kill(signal);
      await ended(child, 30_000);
    },
  };
}
