import { ConfigResourceTypes, type Admin } from 'kafkajs';
import type { DesiredTopic } from './topic-plan';

export type TopicChange =
  | { topic: string; action: 'create'; partitions: number }
  | { topic: string; action: 'add-partitions'; from: number; to: number }
  | { topic: string; action: 'set-config'; key: string; from: string | undefined; to: string }
  | { topic: string; action: 'cannot-shrink'; current: number; desired: number };

export interface TopicState {
  name: string;
  partitions: number;
  config: Record<string, string>;
}

/** Current partitions and the configs the plan cares about, for the topics that exist. */
export async function describeTopics(admin: Admin, plan: DesiredTopic[]): Promise<Map<string, TopicState>> {
  const existing = new Set(await admin.listTopics());
  const present = plan.filter((t) => existing.has(t.name));
  const states = new Map<string, TopicState>();
  if (present.length === 0) return states;
  const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name })),
  });
  for (const topic of metadata.topics) {
    const resource = configs.resources.find((r) => r.resourceName === topic.name);
    const config: Record<string, string> = {};
    for (const entry of resource?.configEntries ?? []) config[entry.configName] = entry.configValue;
    states.set(topic.name, { name: topic.name, partitions: topic.partitions.length, config });
  }
  return states;
}

/** What `apply` would change (a plan: nothing is changed here). */
export function planChanges(plan: DesiredTopic[], current: Map<string, TopicState>): TopicChange[] {
  const changes: TopicChange[] = [];
  for (const desired of plan) {
    const state = current.get(desired.name);
    if (!state) {
      changes.push({ topic: desired.name, action: 'create', partitions: desired.partitions });
      continue;
    }
    if (state.partitions < desired.partitions) {
      changes.push({
        topic: desired.name,
        action: 'add-partitions',
        from: state.partitions,
        to: desired.partitions,
      });
    } else if (state.partitions > desired.partitions) {
      changes.push({
        topic: desired.name,
        action: 'cannot-shrink',
        current: state.partitions,
        desired: desired.partitions,
      });
    }
    for (const [key, value] of Object.entries(desired.config)) {
      if (state.config[key] !== value)
        changes.push({ topic: desired.name, action: 'set-config', key, from: state.config[key], to: value });
    }
  }
  return changes;
}

/** Creates missing topics, adds partitions and sets configs; idempotent. */
export async function applyTopics(admin: Admin, plan: DesiredTopic[]): Promise<TopicChange[]> {
  const changes = planChanges(plan, await describeTopics(admin, plan));
  const byName = new Map(plan.map((t) => [t.name, t]));
  const creates = changes
    .filter((c) => c.action === 'create')
    .map((c) => byName.get(c.topic) as DesiredTopic);
  if (creates.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: creates.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: t.replicationFactor,
        configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  const grow = changes.filter(
    (c): c is Extract<TopicChange, { action: 'add-partitions' }> => c.action === 'add-partitions',
  );
  if (grow.length > 0) {
    // Adding partitions re-maps keys to partitions: per-key order holds only for new messages.
    await admin.createPartitions({ topicPartitions: grow.map((c) => ({ topic: c.topic, count: c.to })) });
  }
  const configs = changes.filter(
    (c): c is Extract<TopicChange, { action: 'set-config' }> => c.action === 'set-config',
  );
  const topicsWithConfigChanges = [...new Set(configs.map((c) => c.topic))];
  if (topicsWithConfigChanges.length > 0) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: topicsWithConfigChanges.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        // alterConfigs replaces the topic's whole dynamic config, so send all declared keys.
        configEntries: Object.entries((byName.get(name) as DesiredTopic).config).map(([key, value]) => ({
          name: key,
          value,
        })),
      })),
    });
  }
  return changes;
}

export function describeChange(change: TopicChange): string {
  switch (change.action) {
    case 'create':
      return `create ${change.topic} (${change.partitions} partitions)`;
    case 'add-partitions':
      return `grow ${change.topic} from ${change.from} to ${change.to} partitions`;
    case 'set-config':
      return `set ${change.topic} ${change.key}: ${change.from ?? '(default)'} → ${change.to}`;
    case 'cannot-shrink':
      return `WARNING ${change.topic} has ${change.current} partitions, the plan says ${change.desired}: Kafka cannot remove partitions`;
  }
}
