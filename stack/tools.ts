import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors';
import { stackSetting } from './stack-settings';

/**
 * The machine tools the native stack needs. Each lookup fails with a message that
 * names the missing tool and how to get it.
 */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** JVM for Kafka, Connect, the registry: JAVA_HOME if set, else `java` on PATH. */
export function javaBinary(): string {
  const javaHome = stackSetting('JAVA_HOME');
  const fromHome = javaHome ? path.join(javaHome, 'bin', 'java') : undefined;
  if (fromHome && fs.existsSync(fromHome)) return fromHome;
  const onPath = findOnPath('java');
  if (onPath) return onPath;
  throw new StackError(
    'java not found',
    'install a JDK 17+ (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME',
  );
}

export function mavenBinary(): string {
  const onPath = findOnPath('mvn');
  if (onPath) return onPath;
  throw new StackError(
    'mvn not found',
    'install Maven (apt-get install maven); it fetches the pinned JVM components',
  );
}

/**
 * Directory holding initdb/postgres: PG_BIN if set, else pg_config's bindir, else
 * the newest /usr/lib/postgresql/<major>/bin (Debian's layout).
 */
export function postgresBinDir(): string {
  const candidates: string[] = [];
  const pgBin = stackSetting('PG_BIN');
  if (pgBin) candidates.push(pgBin);
  const pgConfig = findOnPath('pg_config');
  if (pgConfig) {
    const out = spawnSync(pgConfig, ['--bindir'], { encoding: 'utf8' });
    if (out.status === 0) candidates.push(out.stdout.trim());
  }
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    const majors = fs
      .readdirSync(debianRoot)
      .filter((entry) => /^\d+$/.test(entry))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...majors.map((major) => path.join(debianRoot, major, 'bin')));
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')));
  if (found) return found;
  throw new StackError(
    'initdb not found',
    "install Debian's PostgreSQL server binaries (apt-get install postgresql) or set PG_BIN to their folder",
  );
}

/** The Temurin/OpenJDK home to run a component that needs a newer Java than the default. */
export function javaHomeAtLeast(major: number): string | undefined {
  const homes = [stackSetting('JAVA_HOME'), ...listJvms()].filter((h): h is string => Boolean(h));
  return homes.find((home) => javaMajor(path.join(home, 'bin', 'java')) >= major);
}

function listJvms(): string[] {
  const root = '/usr/lib/jvm';
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).map((entry) => path.join(root, entry));
}

export function javaMajor(javaPath: string): number {
  if (!fs.existsSync(javaPath)) return 0;
  const out = spawnSync(javaPath, ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)/.exec(`${out.stderr}${out.stdout}`);
  return match ? Number(match[1]) : 0;
}
