import fs from 'node:fs';
import path from 'node:path';
import { stackSetting } from './stack-settings';

/**
 * Repository root: the nearest folder above this file with the project's package.json
 * (this file lives in <root>/stack, or compiled in <root>/dist/stack).
 */
export const repoRoot = findRoot(__dirname);

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/**
 * Everything the native stack downloads or writes lives under one git-ignored folder,
 * so `reset` and a fresh clone are easy to reason about. DEEDSTREAM_STACK_DIR moves it.
 */
export const stackHome = path.resolve(stackSetting('DEEDSTREAM_STACK_DIR') ?? path.join(repoRoot, '.stack'));

export const stackPaths = {
  cache: path.join(stackHome, 'cache'),
  data: path.join(stackHome, 'data'),
  logs: path.join(stackHome, 'logs'),
  run: path.join(stackHome, 'run'),
  cacheOf: (component: string) => path.join(stackHome, 'cache', component),
  dataOf: (component: string) => path.join(stackHome, 'data', component),
  logOf: (component: string) => path.join(stackHome, 'logs', `${component}.log`),
  pidOf: (component: string) => path.join(stackHome, 'run', `${component}.pid`),
  configOf: (file: string) => path.join(stackHome, 'run', file),
};
