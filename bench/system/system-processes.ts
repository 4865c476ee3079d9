import fs from 'node:fs';
import { status } from '../../stack/stack';

/** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ). */
const MS_PER_TICK = 10;

/** A part of the system: a stack component (with every process it started) or a service. */
export interface ProcessGroup {
  name: string;
  kind: 'stack' | 'service';
  pids: number[];
}

/** CPU so far and memory now of each group. */
export interface Reading {
  at: number;
  groups: Map<string, { cpuMs: number; pssBytes: number; rssBytes: number; processes: number }>;
}

interface ProcStat {
  pid: number;
  ppid: number;
  cpuMs: number;
  rssBytes: number;
}

const PAGE = 4096;

function procStat(pid: number): ProcStat | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      ppid: Number(fields[1]),
      cpuMs: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK,
      rssBytes: Number(fields[21]) * PAGE,
    };
  } catch {
    return undefined;
  }
}

/** Proportional set size: shared pages (Postgres' shared buffers) split among the processes that map them. */
function pssBytes(pid: number): number {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1];
    return kib === undefined ? 0 : Number(kib) * 1024;
  } catch {
    return 0;
  }
}

function commandLine(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/** `pid` and every process below it. */
function withDescendants(pid: number, children: Map<number, number[]>): number[] {
  const found = [pid];
  for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i] as number) ?? []));
  return found;
}

/** Which service a process runs, from `serve.(ts|js) <name>`; the supervisor from `main.(ts|js)`. */
export function serviceOf(argv: readonly string[]): string | undefined {
  const serve = argv.findIndex((arg) => /(^|\/)services\/serve\.(ts|js)$/.test(arg));
  if (serve >= 0) return argv[serve + 1];
  if (argv.some((arg) => /(^|\/)services\/main\.(ts|js)$/.test(arg))) return 'supervisor';
  return undefined;
}

/**
 * Every part of the running system: each component of the native stack (found by the pid
 * the stack recorded) and each service of `npm start` (replicas together) with its
 * supervisor. Its processes are looked up again at every reading (`read`), since Postgres
 * forks a backend per new connection and the supervisor restarts services.
 */
export async function systemProcessGroups(): Promise<ProcessGroup[]> {
  const groups: ProcessGroup[] = [];
  for (const component of await status())
    if (component.pid !== undefined)
      groups.push({ name: component.name, kind: 'stack', pids: [component.pid] });
  const services = new Set(allPids().flatMap((pid) => serviceOf(commandLine(pid)) ?? []));
  for (const name of [...services].sort()) groups.push({ name, kind: 'service', pids: [] });
  return groups;
}

/** The processes of each group now: a component's recorded pid and everything below it; a service's by command line. */
function currentPids(groups: readonly ProcessGroup[]): Map<string, number[]> {
  const stats = allPids().flatMap((pid) => procStat(pid) ?? []);
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of stats) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const byService = new Map<string, number[]>();
  for (const { pid } of stats) {
    const service = serviceOf(commandLine(pid));
    if (service) byService.set(service, [...(byService.get(service) ?? []), pid]);
  }
  return new Map(
    groups.map((group) => [
      group.name,
      group.kind === 'stack'
        ? group.pids.flatMap((root) => withDescendants(root, children))
        : (byService.get(group.name) ?? []),
    ]),
  );
}

/**
 * CPU used so far and memory now of every group's processes. A process that exited between
 * two readings takes its CPU with it (a Postgres backend closed by an idle pool): the
 * figures are a lower bound, close while pools keep their connections.
 */
export function read(groups: readonly ProcessGroup[]): Reading {
  const reading: Reading = { at: performance.now(), groups: new Map() };
  const pids = currentPids(groups);
  for (const group of groups) {
    let cpuMs = 0;
    let pss = 0;
    let rss = 0;
    let processes = 0;
    for (const pid of pids.get(group.name) ?? []) {
      const stat = procStat(pid);
      if (!stat) continue;
      processes++;
      cpuMs += stat.cpuMs;
      rss += stat.rssBytes;
      pss += pssBytes(pid);
    }
    reading.groups.set(group.name, { cpuMs, pssBytes: pss, rssBytes: rss, processes });
  }
  return reading;
}

/** Per group between two readings: cores used on average, and memory at the end. */
export interface GroupUse {
  name: string;
  kind: ProcessGroup['kind'];
  cores: number;
  cpuMs: number;
  pssMiB: number;
  processes: number;
}

export function use(groups: readonly ProcessGroup[], before: Reading, after: Reading): GroupUse[] {
  const seconds = (after.at - before.at) / 1000;
  return groups.map((group) => {
    const start = before.groups.get(group.name);
    const end = after.groups.get(group.name);
    const cpuMs = Math.max(0, (end?.cpuMs ?? 0) - (start?.cpuMs ?? 0));
    return {
      name: group.name,
      kind: group.kind,
      cpuMs,
      cores: cpuMs / 1000 / seconds,
      pssMiB: (end?.pssBytes ?? 0) / 2 ** 20,
      processes: end?.processes ?? 0,
    };
  });
}

export const totalOf = (uses: readonly GroupUse[]) => ({
  cores: uses.reduce((sum, u) => sum + u.cores, 0),
  cpuMs: uses.reduce((sum, u) => sum + u.cpuMs, 0),
  pssMiB: uses.reduce((sum, u) => sum + u.pssMiB, 0),
});
