import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { findOnPath } from '../../stack/tools';

/**
 * A Debian package some tests need that `npm ci` cannot bring (Chromium for the browser
 * tests, podman for the container image). The jest global setup (Chromium) or the one file
 * that needs it (podman) installs it when it is missing and the machine allows it (root, or
 * password-less sudo, and apt-get), as `npm run stack` brings the JVM components; otherwise
 * only the files that need it fail, with one line saying how to get it.
 */
export interface SystemPackage {
  /** The Debian package name. */
  debianPackage: string;
  /** More Debian packages installed in the same apt-get call (podman's: runc, debootstrap). */
  alsoInstall?: readonly string[];
  /** false: apt-get --no-install-recommends (podman recommends rootless helpers root never uses). */
  recommends?: boolean;
  /** The test files that need it, for the messages. */
  neededBy: string;
  /** The installed binary, or undefined when missing. */
  find(): string | undefined;
}

/** What this machine lets the test run do about a missing package. */
export interface MachineFacts {
  isRoot: boolean;
  aptGet: string | undefined;
  /** `sudo -n true` succeeds (sudo without a password prompt). */
  passwordlessSudo: boolean;
}

export type InstallPlan = { kind: 'install'; asRoot: string[] } | { kind: 'cannot'; why: string };

/** How to install a package here, or why the tests cannot. Pure: the facts come from the caller. */
export function installPlan(facts: MachineFacts): InstallPlan {
  if (!facts.aptGet) return { kind: 'cannot', why: 'no apt-get on this machine' };
  if (facts.isRoot) return { kind: 'install', asRoot: [] };
  if (facts.passwordlessSudo) return { kind: 'install', asRoot: ['sudo', '-n'] };
  return { kind: 'cannot', why: 'installing needs root (or sudo without a password)' };
}

/** apt-get's arguments after `install -y` for `pkg`. */
function installArguments(pkg: SystemPackage): string[] {
  return [
    ...(pkg.recommends === false ? ['--no-install-recommends'] : []),
    pkg.debianPackage,
    ...(pkg.alsoInstall ?? []),
  ];
}

/** The one line a test file fails with when `pkg` is missing. */
export function missingPackageLine(pkg: SystemPackage, why: string | undefined): string {
  const because = why ? ` (not installed automatically: ${why})` : '';
  return `${pkg.debianPackage} is missing${because}: apt-get install -y ${installArguments(pkg).join(' ')} (needed by ${pkg.neededBy})`;
}

export async function machineFacts(): Promise<MachineFacts> {
  const isRoot = process.getuid?.() === 0;
  const sudo = findOnPath('sudo');
  return {
    isRoot,
    aptGet: findOnPath('apt-get'),
    passwordlessSudo: !isRoot && sudo !== undefined && (await run([sudo, '-n', 'true'], undefined)) === 0,
  };
}

/**
 * Installs `pkg` with apt-get if it is missing and the machine allows it. Resolves with
 * undefined when the package is there (now or before), else with why it is not; never
 * rejects. apt's output goes to `logFile`.
 */
export async function ensureSystemPackage(
  pkg: SystemPackage,
  logFile: string,
  say: (line: string) => void,
): Promise<string | undefined> {
  if (pkg.find()) return undefined;
  const plan = installPlan(await machineFacts());
  if (plan.kind === 'cannot') return plan.why;
  const began = Date.now();
  say(
    `${pkg.debianPackage} is missing (needed by ${pkg.neededBy}): installing it with apt-get (log: ${logFile})…`,
  );
  mkdirSync(path.dirname(logFile), { recursive: true });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const step of [
    ['apt-get', 'update', '-qq'],
    ['apt-get', 'install', '-y', '-qq', ...installArguments(pkg)],
  ]) {
    const code = await run([...plan.asRoot, ...step], logFile, env);
    if (code !== 0) return `${step.slice(0, 2).join(' ')} exited with ${code}, see ${logFile}`;
  }
  if (!pkg.find()) return `apt-get installed ${pkg.debianPackage} but its binary was not found`;
  say(`${pkg.debianPackage} installed in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  return undefined;
}

/** Runs a command to its end; resolves with its exit code (-1 if it could not start). */
function run(
  argv: string[],
  logFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve) => {
    const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
    const child = spawn(command, args, {
      env,
      stdio: ['ignore', log ? 'pipe' : 'ignore', log ? 'pipe' : 'ignore'],
    });
    if (log) {
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
    }
    child.once('error', () => resolve(-1));
    child.once('close', (code) => {
      log?.end();
      resolve(code ?? -1);
    });
  });
}
