import path from 'node:path';
import type { Component, Health } from '../component';
import { repoRoot } from '../paths';
import { findProcessNaming, startDaemon } from '../process';
import type { Route } from '../partition-proxy/partition-proxy';
import { messageOf } from '../../services/shared/errors/message-of';

const entry = () => path.join(repoRoot, 'stack', 'partition-proxy', 'main.ts');

/**
 * The cluster profile's TCP proxy in front of every broker, Connect worker and Connect's
 * way to Postgres: each node listens on a port of its own and advertises the proxy's, so
 * all traffic between nodes and from clients passes through it, and the fault tests can
 * cut one node off while its process keeps running (stack/partition-proxy).
 */
export function partitionProxy(routes: readonly Route[], controlPort: number): Component {
  const url = `http://127.0.0.1:${controlPort}`;
  return {
    name: 'partition-proxy',
    title: `TCP partition proxy (${routes.length} ports, control ${url}/partitions)`,
    ports: [...routes.map((route) => route.front), controlPort],
    endpoint: `${url}/partitions`,
    dependsOn: [],
    startTimeoutMs: 30_000,
    stopSignal: 'SIGTERM',

    async prepare() {},

    async start() {
      startDaemon({
        component: 'partition-proxy',
        command: process.execPath,
        args: ['--import', 'tsx', entry()],
        cwd: repoRoot,
      });
    },

    async health(): Promise<Health> {
      try {
        const response = await fetch(`${url}/partitions`, { signal: AbortSignal.timeout(2_000) });
        if (!response.ok) return { healthy: false, detail: `HTTP ${response.status}` };
        const status = (await response.json()) as { cutOff: string[]; links: number };
        const cut = status.cutOff.length > 0 ? `, cut off: ${status.cutOff.join(', ')}` : '';
        return { healthy: true, detail: `${status.links} connections${cut}` };
      } catch (error) {
        return { healthy: false, detail: messageOf(error) };
      }
    },

    findOwnProcess() {
      return findProcessNaming([entry()]);
    },
  };
}
