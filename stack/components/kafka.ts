import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { moduleOutputDir, resolveModule, type MavenModule } from '../artifacts';
import type { Component, ComponentName, Health } from '../component';
import { StackError } from '../errors';
import { stackPaths } from '../paths';
import { stackPorts } from '../ports';
import { renderConfig } from '../template';
import { javaBinary } from '../tools';
import { startJvm } from '../jvm';
import { findProcessNaming } from '../process';
import { messageOf } from '../../services/shared/errors/message-of';

export const kafkaModule: MavenModule = { module: 'kafka', outputSubdir: 'libs' };
const kafkaMainClass = 'kafka.Kafka';

/** One node of a KRaft cluster: a combined broker and controller. */
export interface KafkaNode {
  /** `kafka` alone, `kafka-<id>` in a cluster. */
  name: ComponentName;
  id: number;
  /** Where clients and peers reach it (advertised, and in the controller quorum). */
  port: number;
  controllerPort: number;
  /**
   * Where it really listens, when a proxy owns `port` and `controllerPort` (the cluster
   * profile's partition proxy); unset, it listens on those itself.
   */
  behindProxy?: { port: number; controllerPort: number };
}

/** The whole cluster each node belongs to: its voters and how its topics replicate. */
export interface KafkaCluster {
  nodes: readonly KafkaNode[];
  replicationFactor: number;
  minInsyncReplicas: number;
}

/** The light profile's single broker. */
export const singleKafka: KafkaCluster = {
  nodes: [{ name: 'kafka', id: 1, port: stackPorts.kafka, controllerPort: stackPorts.kafkaController }],
  replicationFactor: 1,
  minInsyncReplicas: 1,
};

/** Where clients reach every broker of the cluster. */
export const bootstrapServers = (cluster: KafkaCluster): string =>
  cluster.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');

/**
 * Every node of a cluster is formatted with the same cluster id, chosen once and kept in
 * the profile's data folder (a node formatted with another id would refuse to join).
 */
function clusterId(): string {
  const file = path.join(stackPaths.data, 'kafka-cluster-id');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const id = crypto.randomBytes(16).toString('base64url').slice(0, 22);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, id);
  return id;
}

/** Apache Kafka 4 in KRaft mode: one node of `cluster`, both broker and controller. */
export function kafkaNode(node: KafkaNode, cluster: KafkaCluster): Component {
  const name = node.name;
  const configFile = () => stackPaths.configOf(`${name}-server.properties`);
  const logDir = () => stackPaths.dataOf(name);
  const single = cluster.nodes.length === 1;
  const listens = node.behindProxy ?? node;
  return {
    name,
    title: single
      ? 'Apache Kafka (KRaft)'
      : `Apache Kafka (KRaft), node ${node.id} of ${cluster.nodes.length}`,
    ports: [listens.port, listens.controllerPort],
    endpoint: `127.0.0.1:${node.port}`,
    dependsOn: node.behindProxy ? ['partition-proxy'] : [],
    startTimeoutMs: 180_000,
    stopSignal: 'SIGTERM',

    async prepare() {
      await resolveModule(kafkaModule);
      renderConfig(
        'kafka-server.properties',
        {
          nodeId: node.id,
          voters: cluster.nodes.map((voter) => `${voter.id}@127.0.0.1:${voter.controllerPort}`).join(','),
          port: node.port,
          listenPort: listens.port,
          listenControllerPort: listens.controllerPort,
          dataDir: logDir(),
          replicationFactor: cluster.replicationFactor,
          minInsyncReplicas: cluster.minInsyncReplicas,
        },
        configFile(),
      );
      if (fs.existsSync(path.join(logDir(), 'meta.properties'))) return;
      fs.mkdirSync(logDir(), { recursive: true });
      // KRaft storage must be formatted once with the cluster's id before the first start.
      const format = spawnSync(
        javaBinary(),
        [
          '-cp',
          path.join(moduleOutputDir(kafkaModule), '*'),
          'kafka.tools.StorageTool',
          'format',
          '-t',
          clusterId(),
          '-c',
          configFile(),
        ],
        { encoding: 'utf8' },
      );
      if (format.status !== 0) {
        throw new StackError(
          `${name}: formatting the KRaft log dir failed (${(format.stderr || format.stdout).trim().split('\n').pop()})`,
          `remove ${logDir()} and run \`npm run stack -- up\` again`,
        );
      }
    },

    async start() {
      startJvm({
        component: name,
        module: kafkaModule,
        mainClass: kafkaMainClass,
        sizing: { envPrefix: 'KAFKA', compiler: 'c1' },
        args: [configFile()],
      });
    },

    async health(): Promise<Health> {
      const admin = new Kafka({
        clientId: 'deedstream-stack',
        brokers: [`127.0.0.1:${node.port}`],
        connectionTimeout: 1_000,
        retry: { retries: 0 },
        logLevel: logLevel.NOTHING,
      }).admin();
      try {
        await admin.connect();
        const described = await admin.describeCluster();
        // A node is up when the cluster it answers for counts it among its brokers.
        const joined = described.brokers.some((broker) => broker.nodeId === node.id);
        const detail = single
          ? `cluster ${described.clusterId}`
          : `node ${node.id}, ${described.brokers.length} of ${cluster.nodes.length} brokers, controller ${described.controller ?? 'none'}`;
        return { healthy: joined, detail };
      } catch (error) {
        return { healthy: false, detail: messageOf(error) };
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },

    findOwnProcess() {
      return findProcessNaming([kafkaMainClass, moduleOutputDir(kafkaModule), configFile()]);
    },
  };
}

/** The light profile's broker. */
export const kafka: Component = kafkaNode(singleKafka.nodes[0]!, singleKafka);

/** Heap size of a JVM component: <PREFIX>_HEAP (e.g. KAFKA_HEAP=1g) or the default. */
