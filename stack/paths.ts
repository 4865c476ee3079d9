import path from 'node:path';
import { repoRoot } from '../services/shared/config/repo-root';
import { stackSetting } from './stack-settings';
import { activeProfile } from './profile';

/** The repository root, shared with the services (they find connectors/ from it). */
export { repoRoot };

/**
 * Everything the native stack downloads or writes lives under one git-ignored folder,
 * so `reset` and a fresh clone are easy to reason about. DEEDSTREAM_STACK_DIR moves it.
 */
export const stackHome = path.resolve(stackSetting('DEEDSTREAM_STACK_DIR') ?? path.join(repoRoot, '.stack'));

/**
 * The folder of the active profile's data, logs and processes: the light profile's is the
 * stack folder itself (as before profiles existed), the cluster's a folder of its own, so
 * the two never share a Kafka log, a replication slot or an index.
 */
export function profileHome(): string {
  const profile = activeProfile(stackHome);
  return profile === 'light' ? stackHome : path.join(stackHome, 'profiles', profile);
}

/** Downloads are shared by every profile; data, logs and run files belong to the active one. */
export const stackPaths = {
  cache: path.join(stackHome, 'cache'),
  get data() {
    return path.join(profileHome(), 'data');
  },
  get logs() {
    return path.join(profileHome(), 'logs');
  },
  get run() {
    return path.join(profileHome(), 'run');
  },
  cacheOf: (component: string) => path.join(stackHome, 'cache', component),
  dataOf: (component: string) => path.join(profileHome(), 'data', component),
  logOf: (component: string) => path.join(profileHome(), 'logs', `${component}.log`),
  pidOf: (component: string) => path.join(profileHome(), 'run', `${component}.pid`),
  configOf: (file: string) => path.join(profileHome(), 'run', file),
};

/** Where `connectors apply` keeps each replaced config, per Connect cluster, for `rollback` (git-ignored). */
export const defaultConnectorStateDir = path.join(stackHome, 'state', 'connectors');
