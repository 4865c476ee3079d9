import { defaultStrimziTargets, kafkaConnector, kafkaTopics, resourceNameOf } from './strimzi-resources';

describe('Strimzi resources', () => {
  it('name a Kafka name as Kubernetes allows, keeping the real name in the spec', () => {
    expect(resourceNameOf('property.events')).toBe('property.events');
    expect(resourceNameOf('__debezium-heartbeat.deedstream.relay')).toBe(
      'debezium-heartbeat.deedstream.relay',
    );
    expect(resourceNameOf('Payment_Commands')).toBe('payment-commands');
    expect(() => resourceNameOf('__')).toThrow(/no Kubernetes name/);
  });

  it("replicate every topic as the plan, loaded with the cluster's replication, says", () => {
    const topic = {
      name: '__x.events',
      purpose: '',
      partitions: 12,
      replicationFactor: 3,
      config: { 'retention.ms': '-1', 'min.insync.replicas': '2' },
    };
    const [rendered] = kafkaTopics([topic], defaultStrimziTargets);
    expect(rendered).toEqual({
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaTopic',
      metadata: { name: 'x.events', labels: { 'strimzi.io/cluster': 'deedstream' } },
      spec: {
        topicName: '__x.events',
        partitions: 12,
        replicas: 3,
        config: { 'retention.ms': '-1', 'min.insync.replicas': '2' },
      },
    });
  });

  it('lift a connector class and task count into the spec, and leave placeholders alone', () => {
    const connector = kafkaConnector(
      {
        name: 'outbox-relay',
        file: 'connectors/outbox-relay.json',
        config: { 'connector.class': 'io.debezium.X', 'tasks.max': '1', 'database.password': '${env:PW}' },
      },
      defaultStrimziTargets,
    );
    expect(connector.spec).toEqual({
      class: 'io.debezium.X',
      tasksMax: 1,
      config: { 'database.password': '${env:PW}' },
    });
    expect(connector.metadata.labels).toEqual({ 'strimzi.io/cluster': 'deedstream-connect' });
    expect(() => kafkaConnector({ name: 'x', file: 'x.json', config: {} }, defaultStrimziTargets)).toThrow(
      /no connector.class/,
    );
  });
});
