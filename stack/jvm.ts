import path from 'node:path';
import { moduleOutputDir, type MavenModule } from './artifacts';
import { repoRoot } from './paths';
import { startDaemon } from './process';
import { javaBinary } from './tools';

export interface JvmLaunch {
  component: string;
  module: MavenModule;
  mainClass: string;
  heap: string;
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
      `-Xms${launch.heap}`,
      `-Xmx${launch.heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      // Two cores are shared by five JVM-heavy processes; fewer GC threads contend less.
      '-XX:ParallelGCThreads=2',
      '-XX:ConcGCThreads=1',
      ...props,
      '-cp',
      path.join(moduleOutputDir(launch.module), '*'),
      launch.mainClass,
      ...launch.args,
    ],
    env: { ...process.env, ...launch.env },
  });
}
