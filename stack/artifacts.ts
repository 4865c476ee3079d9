import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors';
import { repoRoot, stackPaths } from './paths';
import { mavenBinary } from './tools';

/**
 * A pinned JVM component, described by stack/<module>/pom.xml. Maven resolves it from
 * Maven Central into .stack/cache/<module>/<subdir> once; the pom's hash is kept beside
 * it, so editing the pom (a version bump) resolves again and nothing else does.
 */
export interface MavenModule {
  module: string;
  /** Folder under .stack/cache/<module> that the pom's outputDir receives. */
  outputSubdir: string;
}

export function moduleOutputDir(m: MavenModule): string {
  return path.join(stackPaths.cacheOf(m.module), m.outputSubdir);
}

function pomPath(m: MavenModule): string {
  return path.join(repoRoot, 'stack', m.module, 'pom.xml');
}

function markerPath(m: MavenModule): string {
  return path.join(stackPaths.cacheOf(m.module), '.resolved');
}

function pomHash(m: MavenModule): string {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(pomPath(m)));
  // Modules that compile a launcher are re-resolved when its sources change too.
  const sources = path.join(repoRoot, 'stack', m.module, 'src');
  if (fs.existsSync(sources)) {
    for (const file of fs.readdirSync(sources, { recursive: true, withFileTypes: true })) {
      if (file.isFile()) hash.update(fs.readFileSync(path.join(file.parentPath, file.name)));
    }
  }
  return hash.digest('hex');
}

export function isResolved(m: MavenModule): boolean {
  try {
    return fs.readFileSync(markerPath(m), 'utf8').trim() === pomHash(m);
  } catch {
    return false;
  }
}

/** Runs Maven for a module unless its cache is current. */
export async function resolveModule(m: MavenModule): Promise<void> {
  if (isResolved(m)) return;
  const mvn = mavenBinary();
  const target = moduleOutputDir(m);
  fs.rmSync(stackPaths.cacheOf(m.module), { recursive: true, force: true });
  fs.mkdirSync(stackPaths.logs, { recursive: true });
  const logFile = path.join(stackPaths.logs, `maven-${m.module}.log`);
  const log = fs.openSync(logFile, 'w');
  const code = await new Promise<number>((resolve) => {
    const child = spawn(mvn, ['-B', '-f', pomPath(m), 'package', `-DoutputDir=${target}`], {
      cwd: path.join(repoRoot, 'stack', m.module),
      stdio: ['ignore', log, log],
    });
    child.on('error', () => resolve(-1));
    child.on('exit', (status) => resolve(status ?? -1));
  });
  fs.closeSync(log);
  if (code !== 0) {
    const reason = lastMavenError(logFile);
    throw new StackError(
      `could not resolve ${m.module} from Maven Central${reason ? ` (${reason})` : ''}`,
      `check network access to Maven Central and see ${path.relative(process.cwd(), logFile)}`,
    );
  }
  fs.writeFileSync(markerPath(m), `${pomHash(m)}\n`);
}

function lastMavenError(logFile: string): string | undefined {
  const lines = fs.readFileSync(logFile, 'utf8').split('\n');
  const error = lines.find((line) => line.startsWith('[ERROR]'));
  return error?.replace(/^\[ERROR\]\s*/, '').slice(0, 200);
}
