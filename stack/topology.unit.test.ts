import { serviceNames } from '../services/catalog';
import type { Component } from './component';
import {
  clientEnvOf,
  componentsOf,
  connectWorkers,
  kafkaCluster,
  partitionProxyRoutes,
  replicatedServices,
} from './topology';

const names = (components: readonly Component[]) => components.map((c) => c.name);

describe('stack topology', () => {
  it('runs one of each component in the light profile, as before profiles existed', () => {
    expect(names(componentsOf('light'))).toEqual([
      'postgres',
      'kafka',
      'elasticsearch',
      'registry',
      'keycloak',
      'connect',
      'zipkin',
    ]);
    expect(clientEnvOf('light')).toEqual({});
  });

  it('runs three brokers, two Connect workers and two Elasticsearch data nodes with a tiebreaker in the cluster profile', () => {
    const cluster = componentsOf('cluster');
    expect(names(cluster)).toEqual([
      'postgres',
      'partition-proxy',
      'kafka-1',
      'kafka-2',
      'kafka-3',
      'elasticsearch-1',
      'elasticsearch-2',
      'elasticsearch-tiebreaker',
      'registry',
      'keycloak',
      'connect-1',
      'connect-2',
      'zipkin',
    ]);
    const ports = cluster.flatMap((c) => c.ports);
    expect(new Set(ports).size).toBe(ports.length);
    // A worker starts only once every broker is up.
    expect(cluster.find((c) => c.name === 'connect-2')?.dependsOn).toEqual([
      'kafka-1',
      'kafka-2',
      'kafka-3',
      'postgres',
      'partition-proxy',
    ]);
  });

  it('puts the partition proxy on every port clients and peers use to reach a broker or a worker', () => {
    const cluster = componentsOf('cluster');
    const proxied = new Set(cluster.find((c) => c.name === 'partition-proxy')?.ports);
    for (const node of [...kafkaCluster.nodes, ...connectWorkers]) {
      // The node advertises the proxy's port and listens on its own, behind it.
      expect(proxied.has(node.port)).toBe(true);
      expect(cluster.find((c) => c.name === node.name)?.ports).not.toContain(node.port);
      const route = partitionProxyRoutes.find((r) => r.front === node.port);
      expect(route).toEqual({ front: node.port, target: node.behindProxy?.port, owner: node.name });
    }
    // Connect's Debezium tasks reach Postgres through it too, so a worker cut off loses its slot's connection.
    expect(partitionProxyRoutes.filter((r) => r.owner === 'postgres')).toEqual([
      { front: connectWorkers[0]!.behindProxy.postgresPort, target: 5433, owner: 'postgres' },
    ]);
  });

  it('points clients at every broker, replicates topics and indices, and runs two of every service but the console', () => {
    const env = clientEnvOf('cluster');
    expect(env).toMatchObject({
      KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096',
      KAFKA_TOPIC_REPLICATION_FACTOR: '3',
      KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '2',
      ELASTICSEARCH_URL: 'http://127.0.0.1:9200,http://127.0.0.1:9201',
      CONNECT_URL: 'http://127.0.0.1:8083,http://127.0.0.1:8084',
      PROJECTION_INDEX_REPLICAS: '1',
    });
    expect([...replicatedServices, 'console'].sort()).toEqual([...serviceNames].sort());
    expect(env.DEEDSTREAM_REPLICAS?.split(',')).toEqual(replicatedServices.map((service) => `${service}=2`));
  });
});
