import fs from 'node:fs';
import { Listr, type ListrTaskWrapper, type ListrDefaultRenderer, type ListrSimpleRenderer } from 'listr2';
import type { Component, ComponentName, Health } from './component';
import { StackError } from './errors';
import { stackHome, stackPaths } from './paths';
import { activeProfile, recordProfile, type StackProfile } from './profile';
import { componentsOf } from './topology';
import { withoutPassword } from './redact';
import {
  adoptProcess,
  forgetPid,
  hasDied,
  isAlive,
  isPortFree,
  logTail,
  portHolder,
  rssKiB,
  runningPid,
  sleep,
  stopDaemon,
} from './process';

/** The active profile's processes (see topology.ts): start order respects dependsOn. */
export function components(): readonly Component[] {
  return componentsOf(activeProfile(stackHome));
}

export function componentByName(name: string): Component {
  const found = components().find((c) => c.name === name);
  if (!found) {
    throw new StackError(
      `unknown component "${name}"`,
      `use one of: ${components()
        .map((c) => c.name)
        .join(', ')}`,
    );
  }
  return found;
}

export interface ComponentStatus {
  name: ComponentName;
  title: string;
  /** Where clients reach it, any password masked (***). */
  endpoint: string;
  state: 'healthy' | 'starting' | 'stopped' | 'died';
  pid?: number;
  rssMiB?: number;
  detail: string;
}

type Task = ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>;

export interface UpOptions {
  /** Print progress (a live list on a terminal, plain lines otherwise). */
  quiet?: boolean;
  /** Start this profile (and make it the one later commands find); unset: the active one. */
  profile?: StackProfile;
}

/**
 * Switches to `profile`, refusing while another profile has a process running: they share
 * ports (Postgres, the registry, Keycloak, the first broker), so only one can be up.
 */
function switchProfile(profile: StackProfile): void {
  const current = activeProfile(stackHome);
  if (current !== profile) {
    const running = componentsOf(current).filter((component) => ownPid(component) !== undefined);
    if (running.length > 0) {
      throw new StackError(
        `the ${current} profile is running (${running.map((c) => c.name).join(', ')})`,
        `stop it with \`npm run stack -- down\`, then \`up --profile ${profile}\``,
      );
    }
  }
  recordProfile(stackHome, profile);
}

/**
 * Brings every component up, each after the ones it depends on are healthy; a component
 * already running and healthy is left alone, so a second `up` is a no-op. If anything
 * fails, the processes this call started are stopped again: nothing is left half-started.
 */
export async function up(options: UpOptions = {}): Promise<ComponentStatus[]> {
  if (options.profile) switchProfile(options.profile);
  const release = await acquireLock();
  const startedHere: Component[] = [];
  const components = componentsOf(activeProfile(stackHome));
  const ready = new Map<ComponentName, Promise<void>>();
  try {
    // Resolving artifacts runs Maven; one at a time keeps ~/.m2 consistent.
    const prepared = new Map<ComponentName, Promise<void>>();
    let chain: Promise<void> = Promise.resolve();
    for (const component of components) {
      chain = chain.then(() => component.prepare());
      prepared.set(component.name, chain);
    }
    // Silence unhandled-rejection warnings for preparations nobody awaits after a failure.
    for (const promise of prepared.values()) promise.catch(() => undefined);

    const tasks = new Listr(
      components.map((component) => ({
        title: `${component.name}: waiting`,
        task: async (_ctx: unknown, task: Task) => {
          const run = (async () => {
            task.title = `${component.name}: preparing`;
            await prepared.get(component.name);
            for (const dependency of component.dependsOn) {
              task.title = `${component.name}: waiting for ${dependency}`;
              await ready.get(dependency);
            }
            await bringUp(component, task, startedHere);
          })();
          ready.set(component.name, run);
          await run;
        },
      })),
      {
        concurrent: true,
        exitOnError: true,
        renderer: options.quiet ? 'silent' : 'default',
        fallbackRenderer: 'simple',
        rendererOptions: { collapseErrors: false },
      },
    );
    await tasks.run();
    return await status();
  } catch (error) {
    for (const component of [...startedHere].reverse()) {
      await stopDaemon(component.name, component.stopSignal, 30_000);
    }
    throw error;
  } finally {
    release();
  }
}

/**
 * The pid of a component's running process: the one `up` recorded, else a process that is
 * this component of this stack although something else started it (see findOwnProcess),
 * which is adopted: its pid is recorded so `status` and `down` treat it like any other.
 */
export function ownPid(component: Component): number | undefined {
  const recorded = runningPid(component.name);
  if (recorded !== undefined) return recorded;
  const found = component.findOwnProcess?.();
  if (found !== undefined) adoptProcess(component.name, found);
  return found;
}

async function bringUp(component: Component, task: Task, startedHere: Component[]): Promise<void> {
  const began = Date.now();
  if (ownPid(component) === undefined) {
    forgetPid(component.name);
    for (const port of component.ports) {
      if (!(await isPortFree(port))) {
        throw new StackError(
          `${component.name}: port ${port} is already taken by ${portHolder(port)}`,
          'stop that process (or `npm run stack -- down` if it is an old stack) and run `up` again',
        );
      }
    }
    task.title = `${component.name}: starting`;
    await component.start();
    startedHere.push(component);
  } else {
    task.title = `${component.name}: already running, checking health`;
  }
  const health = await waitHealthy(component, (detail) => {
    task.title = `${component.name}: starting (${Math.round((Date.now() - began) / 1000)} s) ${detail}`;
  });
  await component.afterHealthy?.();
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  task.title = `${component.name}: healthy at ${withoutPassword(component.endpoint)} (${seconds} s; ${health.detail})`;
}

async function waitHealthy(component: Component, progress: (detail: string) => void): Promise<Health> {
  const deadline = Date.now() + component.startTimeoutMs;
  let last: Health = { healthy: false, detail: 'not checked yet' };
  while (Date.now() < deadline) {
    if (hasDied(component.name)) {
      throw new StackError(
        `${component.name}: the process exited while starting; last log lines:\n${logTail(component.name)}\n`,
        `see ${stackPaths.logOf(component.name)}`,
      );
    }
    last = await component.health();
    if (last.healthy) return last;
    progress(last.detail.slice(0, 80));
    await sleep(500);
  }
  throw new StackError(
    `${component.name}: not healthy after ${component.startTimeoutMs / 1000} s (${last.detail}); last log lines:\n${logTail(component.name)}\n`,
    `see ${stackPaths.logOf(component.name)}, then \`npm run stack -- down\` and \`up\` again`,
  );
}

/** Stops every component cleanly (dependents first); data stays on disk. */
export async function down(onStopped?: (name: ComponentName) => void): Promise<void> {
  for (const component of [...components()].reverse()) {
    ownPid(component);
    await stopDaemon(component.name, component.stopSignal, 60_000);
    onStopped?.(component.name);
  }
}

export async function status(): Promise<ComponentStatus[]> {
  return Promise.all(
    components().map(async (component): Promise<ComponentStatus> => {
      const base = {
        name: component.name,
        title: component.title,
        endpoint: withoutPassword(component.endpoint),
      };
      const pid = ownPid(component);
      if (pid === undefined) {
        return hasDied(component.name)
          ? {
              ...base,
              state: 'died',
              detail: `process exited; last log lines:\n${logTail(component.name, 10)}`,
            }
          : { ...base, state: 'stopped', detail: 'not running' };
      }
      const health = await component.health();
      const rss = rssKiB(pid);
      return {
        ...base,
        state: health.healthy ? 'healthy' : 'starting',
        pid,
        ...(rss === undefined ? {} : { rssMiB: Math.round(rss / 1024) }),
        detail: health.detail,
      };
    }),
  );
}

export async function isUp(): Promise<boolean> {
  return (await status()).every((s) => s.state === 'healthy');
}

/** Stops everything and deletes data and logs; downloaded artifacts stay cached. */
export async function reset(): Promise<void> {
  await down();
  for (const dir of [stackPaths.data, stackPaths.logs, stackPaths.run]) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One `up` at a time: jest's global setups and a user's terminal may race. A second
 * caller waits for the first (whose `up` it then mostly finds done); a lock whose
 * owner has died is taken over.
 */
async function acquireLock(): Promise<() => void> {
  fs.mkdirSync(stackPaths.run, { recursive: true });
  const lockFile = `${stackPaths.run}/up.lock`;
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch {
      const owner = Number(fs.readFileSync(lockFile, 'utf8'));
      if (!isAlive(owner)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new StackError(
          `another \`stack up\` (pid ${owner}) has held ${lockFile} for 15 minutes`,
          'stop it, or delete the lock file if that process is not a stack command',
        );
      }
      await sleep(500);
    }
  }
}
