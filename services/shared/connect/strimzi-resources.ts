import type { DesiredTopic } from '../kafka/topic-plan';
import type { ConnectorDefinition } from './connector-file';

/**
 * The topics and connectors of connectors/ as Strimzi custom resources (kafka.strimzi.io/v1),
 * so a Kubernetes deployment takes them from the same files as provisioning. Connector configs
 * keep their ${env:...} placeholders: the KafkaConnect cluster enables the env config provider
 * and sets those variables from its secrets (docs/deploy.md#kubernetes).
 */
export interface StrimziTargets {
  /** The Kafka resource the topics belong to (`strimzi.io/cluster`). */
  kafkaCluster: string;
  /** The KafkaConnect resource that runs the connectors. */
  connectCluster: string;
  /** Replicas of every topic (the cluster's brokers: 3 for the loss of one). */
  replicas: number;
  /** Acknowledged writes need this many in-sync replicas (with producers at acks=all). */
  minInsyncReplicas: number;
}

export const defaultStrimziTargets: StrimziTargets = {
  kafkaCluster: 'deedstream',
  connectCluster: 'deedstream-connect',
  replicas: 3,
  minInsyncReplicas: 2,
};

export interface CustomResource {
  apiVersion: 'kafka.strimzi.io/v1';
  kind: 'KafkaTopic' | 'KafkaConnector';
  metadata: { name: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

/**
 * A Kubernetes resource name for a Kafka name: a DNS-1123 subdomain (lower case letters,
 * digits, '-' and '.'), so `__debezium-heartbeat.x` becomes `debezium-heartbeat.x`; the real
 * name stays in the spec.
 */
export function resourceNameOf(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  if (cleaned === '' || cleaned.length > 253) throw new Error(`no Kubernetes name for "${name}"`);
  return cleaned;
}

/**
 * One KafkaTopic per declared topic, as the plan has it: load the plan with the cluster's
 * replication (`loadTopicPlan(file, { replicationFactor, minInsyncReplicas })`).
 */
export function kafkaTopics(plan: readonly DesiredTopic[], targets: StrimziTargets): CustomResource[] {
  return plan.map((topic) => ({
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaTopic',
    metadata: { name: resourceNameOf(topic.name), labels: { 'strimzi.io/cluster': targets.kafkaCluster } },
    spec: {
      topicName: topic.name,
      partitions: topic.partitions,
      replicas: topic.replicationFactor,
      config: topic.config,
    },
  }));
}

/** A connector file as a KafkaConnector: its class and task count lifted into the spec. */
export function kafkaConnector(definition: ConnectorDefinition, targets: StrimziTargets): CustomResource {
  const { 'connector.class': connectorClass, 'tasks.max': tasksMax, ...config } = definition.config;
  if (!connectorClass) throw new Error(`${definition.file}: no connector.class`);
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaConnector',
    metadata: {
      name: resourceNameOf(definition.name),
      labels: { 'strimzi.io/cluster': targets.connectCluster },
    },
    spec: { class: connectorClass, tasksMax: Number(tasksMax ?? '1'), config },
  };
}
