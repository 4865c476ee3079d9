import { serviceNames } from '../services/catalog';
import type { Component } from './component';
import { clientEnvOf, componentsOf, replicatedServices } from './topology';

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
