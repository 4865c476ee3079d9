import { Kafka, logLevel, type Admin, type KafkaConfig } from 'kafkajs';
import type { ComponentName } from '../../stack/component';
import { runningPid } from '../../stack/process';
import {
  connectWorkers,
  elasticsearchCluster,
  kafkaCluster,
  partitionProxyControlPort,
} from '../../stack/topology';
import { stackConnect } from '../../stack/ports';
import { ConnectClient } from '../../services/shared/connect/connect-client';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { elasticsearchClient } from '../../services/shared/elasticsearch/elasticsearch-client';
import { startStack } from './stack-faults';

/** Runs `use` with an admin client of the cluster's brokers (or of `options.brokers`). */
async function withAdmin<T>(
  use: (admin: Admin) => Promise<T>,
  options: Partial<KafkaConfig> = {},
): Promise<T> {
  const admin = new Kafka({
    clientId: 'deedstream-cluster-test',
    brokers: infrastructureConfig().KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
    ...options,
  }).admin();
  try {
    await admin.connect();
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The broker (its component name) that leads `partition` of `topic` now. */
export async function leaderOf(topic: string, partition: number): Promise<ComponentName> {
  const [metadata] = (await withAdmin((admin) => admin.fetchTopicMetadata({ topics: [topic] }))).topics;
  const leader = metadata?.partitions.find((p) => p.partitionId === partition)?.leader;
  const node = kafkaCluster.nodes.find((candidate) => candidate.id === leader);
  if (!node) throw new Error(`${topic}[${partition}] has no leader among the cluster's brokers (${leader})`);
  return node.name;
}

/**
 * A crash of one node: SIGKILL (no clean shutdown, as a lost machine), kept down for `hold`
 * ms or until `hold(downAt)` resolves (what must happen while it is gone), then started again
 * by `up`. Returns when it died and when it was healthy again (epoch ms).
 */
export async function crash(
  name: ComponentName,
  hold: number | ((downAt: number) => Promise<void>),
): Promise<{ downAt: number; backAt: number }> {
  const pid = runningPid(name);
  if (pid === undefined) throw new Error(`${name} is not running`);
  process.kill(pid, 'SIGKILL');
  const downAt = Date.now();
  if (typeof hold === 'number')
    await new Promise((resolve) => setTimeout(resolve, hold)); // the outage itself
  else await hold(downAt);
  await startStack();
  return { downAt, backAt: Date.now() };
}

/**
 * Which worker runs the outbox relay's task now, asked of the first of `asking` that answers
 * (a worker cut off by the partition proxy would keep the question waiting: leave it out).
 */
export async function relayWorker(
  asking: ReadonlyArray<{ port: number }> = connectWorkers,
): Promise<ComponentName | undefined> {
  for (const worker of asking) {
    const client = new ConnectClient(`http://127.0.0.1:${worker.port}`, stackConnect);
    const status = await client.status('outbox-relay').catch(() => undefined);
    const task = status?.tasks[0];
    if (!task || task.state !== 'RUNNING') continue;
    return connectWorkers.find((candidate) => task.worker_id.endsWith(`:${candidate.port}`))?.name;
  }
  return undefined;
}

/**
 * The brokers the cluster counts now, asked of every broker but `without` (cut off: it would
 * not answer); undefined when no answer came within 2 s (the metadata may still send the
 * question to the broker cut off).
 */
export async function brokersSeenWithout(without: ComponentName): Promise<ComponentName[] | undefined> {
  const others = kafkaCluster.nodes.filter((node) => node.name !== without);
  const described = await withAdmin((admin) => admin.describeCluster(), {
    brokers: others.map((node) => `127.0.0.1:${node.port}`),
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).catch(() => undefined);
  if (!described) return undefined;
  return kafkaCluster.nodes
    .filter((node) => described.brokers.some((b) => b.nodeId === node.id))
    .map((node) => node.name);
}

/** Whether every replica of every partition of `topic` is in sync. */
export async function fullyInSync(topic: string): Promise<boolean> {
  const [metadata] = (await withAdmin((admin) => admin.fetchTopicMetadata({ topics: [topic] }))).topics;
  return (metadata?.partitions ?? []).every((p) => p.isr.length === p.replicas.length);
}

const partitionProxy = `http://127.0.0.1:${partitionProxyControlPort}/partitions`;

/**
 * A network partition: the partition proxy cuts `name` off from its peers and its clients
 * (its process keeps running) for `ms`, while `whileCut(cutAt)` watches what the cluster does
 * meanwhile, then heals it. Returns when it was cut off and when it was healed (epoch ms).
 */
export async function cutOff(
  name: ComponentName,
  ms: number,
  whileCut: (cutAt: number) => Promise<void> = async () => undefined,
): Promise<{ downAt: number; backAt: number }> {
  const pid = runningPid(name);
  const cut = await fetch(`${partitionProxy}/${name}`, { method: 'PUT' });
  if (!cut.ok) throw new Error(`the partition proxy did not cut ${name} off: ${await cut.text()}`);
  const downAt = Date.now();
  try {
    // The partition itself lasts `ms`, whatever the watcher sees.
    await Promise.all([new Promise((resolve) => setTimeout(resolve, ms)), whileCut(downAt)]);
  } finally {
    await fetch(`${partitionProxy}/${name}`, { method: 'DELETE' });
  }
  const backAt = Date.now();
  if (runningPid(name) !== pid) throw new Error(`${name} did not keep running while it was cut off`);
  return { downAt, backAt };
}

/** The Elasticsearch node (its component name) holding the primary shard behind `alias`. */
export async function primaryHolderOf(alias: string): Promise<ComponentName> {
  const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);
  try {
    const shards = await es.cat.shards({ index: alias, format: 'json' });
    const primary = shards.find((shard) => shard.prirep === 'p' && shard.state === 'STARTED');
    const node = elasticsearchCluster.find((candidate) => candidate.name === primary?.node);
    if (!node) throw new Error(`no started primary of ${alias} on a node of the cluster (${primary?.node})`);
    return node.name;
  } finally {
    await es.close();
  }
}

/** Waits (bounded) until every shard of the cluster has its replica again: status green. */
export async function awaitGreen(timeoutMs: number): Promise<void> {
  const es = elasticsearchClient(infrastructureConfig().ELASTICSEARCH_URL);
  try {
    const health = await es.cluster.health({ wait_for_status: 'green', timeout: `${timeoutMs}ms` });
    if (health.status !== 'green')
      throw new Error(`Elasticsearch stayed ${health.status}: ${health.unassigned_shards} shards unassigned`);
  } finally {
    await es.close();
  }
}

/** The HTTP statuses of asking `url` again and again (no pause between asks) for `ms`. */
export async function answersFor(url: string, ms: number): Promise<number[]> {
  const statuses: number[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    statuses.push(response?.status ?? 0);
    await response?.arrayBuffer();
  }
  return statuses;
}
