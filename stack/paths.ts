import path from 'node:path';
import { repoRoot } from '../services/shared/config/repo-root';
import { stackSetting } from './stack-settings';

/** The repository root, shared with the services (they find connectors/ from it). */
export { repoRoot };

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

/** Where `connectors apply` keeps each replaced config, per Connect cluster, for `rollback` (git-ignored). */
export const defaultConnectorStateDir = path.join(stackHome, 'state', 'connectors');
