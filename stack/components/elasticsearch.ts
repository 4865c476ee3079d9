import path from 'node:path';
import { moduleOutputDir, resolveModule, type MavenModule } from '../artifacts';
import fs from 'node:fs';
import type { Component, ComponentName, Health } from '../component';
import { stackPaths } from '../paths';
import { stackPorts } from '../ports';
import { findProcessNaming, startDaemon } from '../process';
import { javaBinary } from '../tools';
import { jvmEnv, jvmFlags } from '../jvm';
import { messageOf } from '../../services/shared/errors/message-of';

const esModule: MavenModule = { module: 'elasticsearch', outputSubdir: 'home' };
const launcherJar = () => path.join(moduleOutputDir(esModule), 'deedstream-elasticsearch.jar');
export const elasticsearchUrl = `http://127.0.0.1:${stackPorts.elasticsearch}`;

/** One node of an Elasticsearch cluster. */
export interface ElasticsearchNode {
  /** `elasticsearch` alone; `elasticsearch-<n>` or `elasticsearch-tiebreaker` in a cluster. */
  name: ComponentName;
  httpPort: number;
  transportPort: number;
  /** A master-only node holds no data and answers no searches: it only breaks ties in elections. */
  masterOnly?: boolean;
  /** The heap, when not ELASTICSEARCH_HEAP (the tiebreaker needs little). */
  heap?: string;
}

/**
 * A real Elasticsearch node, booted by stack/elasticsearch's small launcher from the server
 * and netty-transport jars on Maven Central (no distribution tarball needed). Alone it runs
 * as a single-node cluster; with `cluster` it finds the others on their transport ports.
 */
export function elasticsearchNode(node: ElasticsearchNode, cluster: readonly ElasticsearchNode[]): Component {
  const { name } = node;
  const url = `http://127.0.0.1:${node.httpPort}`;
  const single = cluster.length === 1;
  const clusterSettings = (): string[] => {
    if (single) return [];
    const settings = [
      '-Ediscovery.type=multi-node',
      `-Ediscovery.seed_hosts=${cluster.map((peer) => `127.0.0.1:${peer.transportPort}`).join(',')}`,
      `-Enode.roles=${node.masterOnly ? 'master' : 'master,data,ingest'}`,
    ];
    // Only a cluster's very first start names the masters that bootstrap it; afterwards the
    // nodes remember their cluster, and the setting would be ignored with a warning.
    if (!fs.existsSync(stackPaths.dataOf(name)))
      settings.push(`-Ecluster.initial_master_nodes=${cluster.map((peer) => peer.name).join(',')}`);
    return settings;
  };
  return {
    name,
    title: single
      ? 'Elasticsearch (single node)'
      : node.masterOnly
        ? 'Elasticsearch, master-only tiebreaker'
        : `Elasticsearch, data node ${name.split('-')[1]}`,
    ports: [node.httpPort, node.transportPort],
    endpoint: url,
    dependsOn: [],
    startTimeoutMs: 150_000,
    stopSignal: 'SIGTERM',

    async prepare() {
      await resolveModule(esModule);
    },

    async start() {
      const home = moduleOutputDir(esModule);
      const settings = clusterSettings();
      startDaemon({
        component: name,
        command: javaBinary(),
        args: [
          ...jvmFlags({
            envPrefix: 'ELASTICSEARCH',
            compiler: 'c1',
            ...(node.heap ? { heap: node.heap } : {}),
          }),
          '-Djava.awt.headless=true',
          '--module-path',
          path.join(home, 'lib'),
          '--add-modules',
          'ALL-MODULE-PATH',
          '-jar',
          launcherJar(),
          `--data-dir=${stackPaths.dataOf(name)}`,
          `--logs-dir=${path.join(stackPaths.logs, name)}`,
          `--http-port=${node.httpPort}`,
          `--transport-port=${node.transportPort}`,
          `--node-name=${single ? 'deedstream-es' : name}`,
          ...settings,
        ],
        env: jvmEnv(),
      });
    },

    async health(): Promise<Health> {
      try {
        const response = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(2_000) });
        if (!response.ok) return { healthy: false, detail: `HTTP ${response.status}` };
        if (response.headers.get('x-elastic-product') !== 'Elasticsearch') {
          return { healthy: false, detail: 'answer lacks X-Elastic-Product: Elasticsearch' };
        }
        const body = (await response.json()) as { status: string; number_of_nodes: number };
        // A node is up once it has joined a cluster of every node (not a partial one).
        const joined = body.number_of_nodes >= cluster.length;
        const detail = single
          ? `cluster ${body.status}`
          : `cluster ${body.status}, ${body.number_of_nodes} nodes`;
        return { healthy: body.status !== 'red' && joined, detail };
      } catch (error) {
        return { healthy: false, detail: messageOf(error) };
      }
    },

    findOwnProcess() {
      return findProcessNaming([launcherJar(), stackPaths.dataOf(name)]);
    },
  };
}

const singleNode: ElasticsearchNode = {
  name: 'elasticsearch',
  httpPort: stackPorts.elasticsearch,
  transportPort: stackPorts.elasticsearchTransport,
};

/** The light profile's single node. */
export const elasticsearch: Component = elasticsearchNode(singleNode, [singleNode]);
