import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { StackError } from './errors';
import { stackHome, stackPaths } from './paths';

export interface DaemonSpec {
  component: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this OS user (Postgres refuses to run as root). */
  user?: { uid: number; gid: number };
}

/**
 * Starts a long-running process detached from this CLI, its output appended to the
 * component's log and its pid recorded, so later `status`/`down` calls find it.
 */
export function startDaemon(spec: DaemonSpec): number {
  const logFile = stackPaths.logOf(spec.component);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.mkdirSync(stackPaths.run, { recursive: true });
  const out = fs.openSync(logFile, 'a');
  fs.writeSync(out, `\n==== ${new Date().toISOString()} starting ${spec.component}: ${spec.command}\n`);
  if (spec.user) fs.fchownSync(out, spec.user.uid, spec.user.gid);
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
    ...(spec.user ?? {}),
  });
  fs.closeSync(out);
  if (child.pid === undefined) {
    throw new StackError(`${spec.component}: could not start ${spec.command}`, 'check that it is installed');
  }
  child.unref();
  recordPid(spec.component, child.pid, spec.args);
  return child.pid;
}

/** The pid file holds the pid and the arguments, so a reused pid is told apart (see runningPid). */
function recordPid(component: string, pid: number, args: readonly string[]): void {
  fs.mkdirSync(stackPaths.run, { recursive: true });
  fs.writeFileSync(stackPaths.pidOf(component), `${pid}\n${args.join(' ')}\n`);
}

/**
 * Takes over a process of ours that `up` did not start (restarted by `pg_ctl`, by a
 * recovery script, or started by an older checkout): its pid file is rewritten from the
 * live command line, so `status` follows it and `down` stops it like any other.
 */
export function adoptProcess(component: string, pid: number): void {
  const argv = commandLineOf(pid);
  recordPid(component, pid, argv ? argv.slice(1) : []);
}

/** A process's arguments (argv[0] first), or undefined if it is gone or unreadable. */
export function commandLineOf(pid: number): string[] | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // Arguments are NUL-terminated; a kernel thread has an empty command line.
    const argv = raw.split('\0');
    if (argv[argv.length - 1] === '') argv.pop();
    return argv.length > 0 ? argv : undefined;
  } catch {
    return undefined;
  }
}

/** The live processes (never this one) whose command line satisfies `matches`, lowest pid first. */
export function findProcesses(matches: (argv: readonly string[]) => boolean): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid)
    .sort((a, b) => a - b)
    .filter((pid) => {
      const argv = commandLineOf(pid);
      return argv !== undefined && matches(argv) && isAlive(pid);
    });
}

/**
 * Whether a command line names every one of `needles`: as a whole argument, as the value
 * of a `--key=value` / `-Dkey=value` argument, or as the folder a path argument lies in
 * (`/stack/cache/kafka/libs/*` names `/stack/cache/kafka/libs`). Path prefixes only match
 * at a `/`, so `/a/.stack` does not name `/a/.stack-old`.
 */
export function commandLineNames(argv: readonly string[], needles: readonly string[]): boolean {
  return needles.every((needle) =>
    argv.some((arg) => {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
      return [arg, value].some((candidate) => candidate === needle || candidate.startsWith(`${needle}/`));
    }),
  );
}

/**
 * The first live process whose command line names all of `needles` (e.g. a component's
 * main class and its folders under the stack home): how a JVM component of this stack is
 * recognised without its pid file.
 */
export function findProcessNaming(needles: readonly string[]): number | undefined {
  return findProcesses((argv) => commandLineNames(argv, needles))[0];
}

/** The folder a process runs in (Postgres chdirs into its data directory), if readable. */
export function workingDirOf(pid: number): string | undefined {
  try {
    return fs.realpathSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** The pid of a component's process if it is still running (and is really ours). */
export function runningPid(component: string): number | undefined {
  let recorded: string;
  try {
    recorded = fs.readFileSync(stackPaths.pidOf(component), 'utf8');
  } catch {
    return undefined;
  }
  const [pidLine, argsLine = ''] = recorded.split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  // Guard against pid reuse after a reboot: the live process must have our arguments.
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    const marker = argsLine.split(' ').find((arg) => arg.includes(stackHome));
    if (marker && !cmdline.includes(marker)) return undefined;
  } catch {
    return undefined;
  }
  return pid;
}

/** True when the pid file exists but its process is gone: the component died. */
export function hasDied(component: string): boolean {
  return fs.existsSync(stackPaths.pidOf(component)) && runningPid(component) === undefined;
}

export function forgetPid(component: string): void {
  fs.rmSync(stackPaths.pidOf(component), { force: true });
}

/** Whether a process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); it is dead for our purposes.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

/**
 * Asks the process to stop with `signal`, waits up to `graceMs`, then kills it.
 * Graceful first, so Kafka and Elasticsearch flush and Postgres checkpoints.
 */
export async function stopDaemon(component: string, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  const pid = runningPid(component);
  if (pid === undefined) {
    forgetPid(component);
    return;
  }
  signalGroup(pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) break;
    await sleep(200);
  }
  if (isAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(100);
  }
  forgetPid(component);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export function rssKiB(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The last `lines` lines of a component's log, for reporting a crash. */
export function logTail(component: string, lines = 20): string {
  try {
    const content = fs.readFileSync(stackPaths.logOf(component), 'utf8');
    return content.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log yet)';
  }
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.once('listening', () => server.close(() => resolve(true)));
    server.listen(port, '127.0.0.1');
  });
}

/** Who holds a port, as `ss` reports it, to name the culprit in an error. */
export function portHolder(port: number): string {
  const result = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(result.stdout ?? '');
  return match ? `${match[1]} (pid ${match[2]})` : 'another process';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
