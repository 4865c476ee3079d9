import type { Component } from './component';
import { connect, connectWorker } from './components/connect';
import { elasticsearch, elasticsearchNode, type ElasticsearchNode } from './components/elasticsearch';
import { kafka, kafkaNode, type KafkaCluster } from './components/kafka';
import { keycloak } from './components/keycloak';
import { postgres } from './components/postgres';
import { registry } from './components/registry';
import { partitionProxy } from './components/partition-proxy';
import { zipkin } from './components/zipkin';
import type { Route } from './partition-proxy/partition-proxy';
import type { StackProfile } from './profile';
import { stackPorts } from './ports';

/**
 * In the cluster profile each broker and Connect worker really listens 10000 above the port
 * it advertises, and the partition proxy holds the advertised one (stack/partition-proxy).
 */
const behindProxy = (port: number) => port + 10_000;

/** The partition proxy's control API, and its port in front of Postgres for Connect's Debezium tasks. */
export const partitionProxyControlPort = 9390;
const postgresForConnectPort = behindProxy(stackPorts.postgres);

/**
 * The cluster profile's Kafka: three combined broker/controllers, so a quorum of two outlives
 * any one; every topic on all three, a write acknowledged once two have it.
 */
export const kafkaCluster: KafkaCluster = {
  nodes: ([1, 2, 3] as const).map((id) => ({
    name: `kafka-${id}` as const,
    id,
    port: stackPorts.kafka + 2 * (id - 1),
    controllerPort: stackPorts.kafkaController + 2 * (id - 1),
    behindProxy: {
      port: behindProxy(stackPorts.kafka + 2 * (id - 1)),
      controllerPort: behindProxy(stackPorts.kafkaController + 2 * (id - 1)),
    },
  })),
  replicationFactor: 3,
  minInsyncReplicas: 2,
};

/**
 * Two data nodes hold each index's primary and replica; the third node is master-only. Two
 * master-eligible nodes alone could not elect a master once either died (a majority of two
 * is two), so the tiebreaker keeps the cluster writable with one data node down.
 */
export const elasticsearchCluster: readonly ElasticsearchNode[] = [
  { name: 'elasticsearch-1', httpPort: 9200, transportPort: 9300 },
  { name: 'elasticsearch-2', httpPort: 9201, transportPort: 9301 },
  { name: 'elasticsearch-tiebreaker', httpPort: 9202, transportPort: 9302, masterOnly: true, heap: '192m' },
];

export const connectWorkers = ([1, 2] as const).map((n) => ({
  name: `connect-${n}` as const,
  port: stackPorts.connect + n - 1,
  behindProxy: { port: behindProxy(stackPorts.connect + n - 1), postgresPort: postgresForConnectPort },
}));

/** Every port the partition proxy holds, and whose node is behind it. */
export const partitionProxyRoutes: readonly Route[] = [
  ...kafkaCluster.nodes.flatMap((node) => [
    { front: node.port, target: behindProxy(node.port), owner: node.name },
    { front: node.controllerPort, target: behindProxy(node.controllerPort), owner: node.name },
  ]),
  ...connectWorkers.map((worker) => ({
    front: worker.port,
    target: worker.behindProxy.port,
    owner: worker.name,
  })),
  { front: postgresForConnectPort, target: stackPorts.postgres, owner: 'postgres' },
];

/** Every process of a profile, in start order (dependsOn is honoured); `down` walks it backwards. */
export function componentsOf(profile: StackProfile): readonly Component[] {
  if (profile === 'light') return [postgres, kafka, elasticsearch, registry, keycloak, connect, zipkin];
  return [
    postgres,
    partitionProxy(partitionProxyRoutes, partitionProxyControlPort),
    ...kafkaCluster.nodes.map((node) => kafkaNode(node, kafkaCluster)),
    ...elasticsearchCluster.map((node) => elasticsearchNode(node, elasticsearchCluster)),
    registry,
    keycloak,
    ...connectWorkers.map((worker) => connectWorker(worker, kafkaCluster, connectWorkers.length)),
    zipkin,
  ];
}

/**
 * Gives this process what clients of the active profile need (clientEnvOf), leaving alone
 * every variable already set: `npm start` and the test setups call it before reading any
 * configuration, so a cluster is reached without exporting anything by hand.
 */
export function useProfileClientEnv(profile: StackProfile): void {
  for (const [name, value] of Object.entries(clientEnvOf(profile))) process.env[name] ??= value;
}

/**
 * The services the cluster profile runs twice. The console keeps its sign-in sessions in its
 * own process, so a second copy would sign people out at random: it runs once.
 */
export const replicatedServices = [
  'property',
  'people',
  'search',
  'analytics',
  'transaction',
  'payment',
  'contract',
  'title',
  'valuation',
  'audit',
] as const;

/**
 * What services, CLIs and tests need to reach a profile's components, as environment
 * variables (`npm run stack -- env`). The light profile's are every setting's default.
 */
export function clientEnvOf(profile: StackProfile): Record<string, string> {
  if (profile === 'light') return {};
  return {
    KAFKA_BROKERS: kafkaCluster.nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
    KAFKA_TOPIC_REPLICATION_FACTOR: String(kafkaCluster.replicationFactor),
    KAFKA_TOPIC_MIN_INSYNC_REPLICAS: String(kafkaCluster.minInsyncReplicas),
    ELASTICSEARCH_URL: elasticsearchCluster
      .filter((node) => !node.masterOnly)
      .map((node) => `http://127.0.0.1:${node.httpPort}`)
      .join(','),
    CONNECT_URL: connectWorkers.map((worker) => `http://127.0.0.1:${worker.port}`).join(','),
    PROJECTION_INDEX_REPLICAS: '1',
    DEEDSTREAM_REPLICAS: replicatedServices.map((service) => `${service}=2`).join(','),
  };
}
