import { Kafka, logLevel } from 'kafkajs';
import type { ComponentName } from '../../stack/component';
import { runningPid } from '../../stack/process';
import { kafkaCluster } from '../../stack/topology';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { startStack } from './stack-faults';

/** The broker (its component name) that leads `partition` of `topic` now. */
export async function leaderOf(topic: string, partition: number): Promise<ComponentName> {
  const admin = new Kafka({
    clientId: 'deedstream-cluster-test',
    brokers: infrastructureConfig().KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const leader = metadata?.partitions.find((p) => p.partitionId === partition)?.leader;
    const node = kafkaCluster.nodes.find((candidate) => candidate.id === leader);
    if (!node)
      throw new Error(`${topic}[${partition}] has no leader among the cluster's brokers (${leader})`);
    return node.name;
  } finally {
    await admin.disconnect();
  }
}

/**
 * A crash of one node: SIGKILL (no clean shutdown, as a lost machine), kept down `holdMs`,
 * then started again by `up`. Returns when it died and when it was healthy again (epoch ms).
 */
export async function crash(
  name: ComponentName,
  holdMs: number,
): Promise<{ downAt: number; backAt: number }> {
  const pid = runningPid(name);
  if (pid === undefined) throw new Error(`${name} is not running`);
  process.kill(pid, 'SIGKILL');
  const downAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, holdMs)); // the outage itself
  await startStack();
  return { downAt, backAt: Date.now() };
}
