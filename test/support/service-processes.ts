import path from 'node:path';
import { awaitReady } from './await-ready';
import type { ChildOutput } from './child-output';
import { stopEveryChild, TrackedChild } from './tracked-child';
import { waitForValue } from './wait-for';

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
  valuation: 13009,
  audit: 13010,
} as const;

export type TestService = keyof typeof testPorts;

const portEnv = Object.fromEntries(
  Object.entries(testPorts).map(([service, port]) => [`${service.toUpperCase()}_PORT`, String(port)]),
);

export const urlOf = (service: TestService) => `http://127.0.0.1:${testPorts[service]}`;

/** Node with tsx's loader running `args` in the repository, as a tracked child. */
function spawnService(label: string, args: string[], env: NodeJS.ProcessEnv): TrackedChild {
  return new TrackedChild(label, node, [...tsxLoader, ...args], { cwd: repo, env });
}

/**
 * Stops every service process a test started; fails the file if one died on its own
 * (see stopEveryChild). The afterAll of each file that starts some.
 */
export const stopEveryProcess = stopEveryChild;

/** `npm start` as a child: the supervisor and its service processes, on the test ports. */
export interface Supervised {
  output: ChildOutput;
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
  const child = spawnService('npm start', args, {
    ...process.env,
    ...portEnv,
    DEEDSTREAM_EXTERNAL_STACK: 'true',
    LOG_LEVEL: 'info',
    TRACING_ENABLED: 'false',
    ...options.env,
  });
  const { output } = child;
  await child.during(`starting ${options.only.join(', ')}`, async (signal) => {
    await output.waitFor(/Ctrl-C stops the services/, 180_000, true);
    await awaitReady(options.only.map(urlOf), 90_000, signal);
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
      return waitForValue(
        () => `${label} to be restarted; the supervisor's last lines:\n${output.lines.slice(-15).join('\n')}`,
        async () => {
          const pid = pids().get(label);
          return pid !== undefined && pid !== oldPid ? pid : undefined;
        },
        { timeoutMs, pollMs: 100 },
      );
    },
    async stop() {
      await child.stop('SIGTERM', 60_000);
    },
  };
}

/** `npm run service -- <name>` as a child (no supervisor): one replica on its own port. */
export interface ServiceProcess {
  pid: number;
  url: string;
  output: ChildOutput;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServiceProcess(
  service: TestService,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  const child = spawnService(service, ['services/serve.ts', service], {
    ...process.env,
    ...portEnv,
    LOG_LEVEL: 'info',
    TRACING_ENABLED: 'false',
    ...env,
  });
  const { output } = child;
  const url = await child.during(`starting ${service}`, async (signal) => {
    const match = await output.waitFor(/serving on (http:\/\/127\.0\.0\.1:\d+)/, 120_000, true);
    await awaitReady([match[1] as string], 90_000, signal);
    return match[1] as string;
  });
  return {
    pid: child.pid as number,
    url,
    output,
    async kill(signal = 'SIGTERM') {
      await child.stop(signal, 30_000);
    },
  };
}
