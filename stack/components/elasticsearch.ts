import path from 'node:path';
import { moduleOutputDir, resolveModule, type MavenModule } from '../artifacts';
import type { Component, Health } from '../component';
import { stackPaths } from '../paths';
import { stackPorts } from '../ports';
import { findProcessNaming, startDaemon } from '../process';
import { javaBinary } from '../tools';
import { jvmEnv, jvmFlags } from '../jvm';
import { messageOf } from '../../services/shared/errors/message-of';

const name = 'elasticsearch';
const esModule: MavenModule = { module: 'elasticsearch', outputSubdir: 'home' };
const launcherJar = () => path.join(moduleOutputDir(esModule), 'deedstream-elasticsearch.jar');
export const elasticsearchUrl = `http://127.0.0.1:${stackPorts.elasticsearch}`;

/**
 * A real single-node Elasticsearch, booted by stack/elasticsearch's small launcher from
 * the server and netty-transport jars on Maven Central (no distribution tarball needed).
 */
export const elasticsearch: Component = {
  name,
  title: 'Elasticsearch (single node)',
  ports: [stackPorts.elasticsearch],
  endpoint: elasticsearchUrl,
  dependsOn: [],
  startTimeoutMs: 150_000,
  stopSignal: 'SIGTERM',

  async prepare() {
    await resolveModule(esModule);
  },

  async start() {
    const home = moduleOutputDir(esModule);
    startDaemon({
      component: name,
      command: javaBinary(),
      args: [
        ...jvmFlags({ envPrefix: 'ELASTICSEARCH', compiler: 'c1' }),
        '-Djava.awt.headless=true',
        '--module-path',
        path.join(home, 'lib'),
        '--add-modules',
        'ALL-MODULE-PATH',
        '-jar',
        launcherJar(),
        `--data-dir=${stackPaths.dataOf(name)}`,
        `--logs-dir=${path.join(stackPaths.logs, 'elasticsearch')}`,
        `--http-port=${stackPorts.elasticsearch}`,
      ],
      env: jvmEnv(),
    });
  },

  async health(): Promise<Health> {
    try {
      const response = await fetch(`${elasticsearchUrl}/_cluster/health`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (!response.ok) return { healthy: false, detail: `HTTP ${response.status}` };
      if (response.headers.get('x-elastic-product') !== 'Elasticsearch') {
        return { healthy: false, detail: 'answer lacks X-Elastic-Product: Elasticsearch' };
      }
      const body = (await response.json()) as { status: string };
      return { healthy: body.status !== 'red', detail: `cluster ${body.status}` };
    } catch (error) {
      return { healthy: false, detail: messageOf(error) };
    }
  },

  findOwnProcess() {
    return findProcessNaming([launcherJar(), stackPaths.dataOf(name)]);
  },
};
