import path from 'node:path';
import { moduleOutputDir, type MavenModule } from './artifacts';
import { repoRoot } from './paths';
import { startDaemon } from './process';
import { HEAP_SIZE, stackSetting, type JvmComponent } from './stack-settings';
import { javaBinary } from './tools';

/**
 * How one component's JVM is sized. Six JVMs share two cores and a memory budget with
 * Postgres and nine Node processes, so every component runs with the same small-footprint
 * settings, chosen here once:
 * - the serial collector: no concurrent GC threads competing for the cores at rest, and the
 *   smallest memory overhead for heaps of a few hundred MB (pauses of a few ms at this size);
 * - the client compiler only (`compiler: 'c1'`): it compiles in a fraction of the time, while
 *   C2 kept a core busy for minutes whenever the load changed (measured on Elasticsearch: C2
 *   compile threads at 0.36 cores under 30 commands/s, 50 minutes after start);
 * - a heap that starts at a quarter of its cap and grows under load;
 * - `MALLOC_ARENA_MAX=2` (glibc's per-thread arenas add hundreds of MB of resident memory to a
 *   JVM with many threads).
 * `<PREFIX>_HEAP` overrides the cap; `<PREFIX>_JAVA_OPTS` adds flags (last, so they win).
 */
export interface JvmSizing {
  /** The component, by the prefix of its variables (`<PREFIX>_HEAP`, `<PREFIX>_JAVA_OPTS`). */
  envPrefix: JvmComponent;
  /** The heap cap when `<PREFIX>_HEAP` is unset, if not the component's default (stack-settings.ts). */
  heap?: string;
  compiler: 'c1' | 'c2';
}

/** `<PREFIX>_HEAP` if set (checked), else the given heap, else the component's default. */
function heapOf(sizing: JvmSizing): string {
  const name = `${sizing.envPrefix}_HEAP` as const;
  return process.env[name] ? stackSetting(name) : (sizing.heap ?? stackSetting(name));
}

function quarterOf(heap: string): string {
  const [, amount, unit] = HEAP_SIZE.exec(heap) ?? [];
  const mb = Number(amount) * (unit === 'g' ? 1024 : 1);
  return `${Math.max(16, Math.floor(mb / 4))}m`;
}

/** The JVM flags of a component (heap, collector, compiler, its own extra flags). */
export function jvmFlags(sizing: JvmSizing): string[] {
  const heap = heapOf(sizing);
  return [
    `-Xms${quarterOf(heap)}`,
    `-Xmx${heap}`,
    '-XX:+UseSerialGC',
    ...(sizing.compiler === 'c1' ? ['-XX:TieredStopAtLevel=1'] : []),
    '-XX:+ExitOnOutOfMemoryError',
    ...(stackSetting(`${sizing.envPrefix}_JAVA_OPTS`) ?? '').split(/\s+/).filter(Boolean),
  ];
}

/** The environment of a JVM component: the caller's, with glibc's arenas capped. */
export function jvmEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: '2', ...env };
}

export interface JvmLaunch {
  component: string;
  module: MavenModule;
  mainClass: string;
  sizing: JvmSizing;
  args: string[];
  systemProperties?: Record<string, string>;
  javaHome?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts a JVM component from its resolved Maven folder (every jar on the classpath). */
export function startJvm(launch: JvmLaunch): number {
  const java = launch.javaHome ? path.join(launch.javaHome, 'bin', 'java') : javaBinary();
  const props = Object.entries({
    'log4j2.configurationFile': path.join(repoRoot, 'stack', 'config', 'log4j2.properties'),
    'java.awt.headless': 'true',
    ...launch.systemProperties,
  }).map(([key, value]) => `-D${key}=${value}`);
  return startDaemon({
    component: launch.component,
    command: java,
    args: [
      ...jvmFlags(launch.sizing),
      ...props,
      '-cp',
      path.join(moduleOutputDir(launch.module), '*'),
      launch.mainClass,
      ...launch.args,
    ],
    env: jvmEnv({ ...process.env, ...launch.env }),
  });
}
