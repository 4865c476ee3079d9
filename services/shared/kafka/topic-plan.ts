import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../config/repo-root';
import { messageOf } from '../errors/message-of';

const topicSpec = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/, 'Kafka topic names use letters, digits, ".", "_" and "-"'),
  purpose: z.string(),
  partitions: z.number().int().positive().optional(),
  replicationFactor: z.number().int().positive().optional(),
  config: z.record(z.string(), z.string()).default({}),
});

const topicsFile = z.strictObject({
  $comment: z.string().optional(),
  defaults: z.strictObject({
    partitions: z.number().int().positive(),
    replicationFactor: z.number().int().positive(),
  }),
  topics: z.array(topicSpec).min(1),
});

export interface DesiredTopic {
  name: string;
  purpose: string;
  partitions: number;
  replicationFactor: number;
  config: Record<string, string>;
}

export const defaultTopicsFile = path.join(repoRoot, 'connectors', 'topics.json');

/** A deployment's replication of every topic, over what the file declares. */
export interface ReplicationOverrides {
  replicationFactor?: number;
  /** min.insync.replicas: with producers at acks=all, a write needs this many replicas. */
  minInsyncReplicas?: number;
}

/**
 * Reads the versioned topic declarations, with a deployment's replication applied. Event
 * topics must keep their history: a `*.events` topic that is compacted or has finite
 * retention is refused here, before it can reach a broker; so is a topic whose
 * min.insync.replicas exceeds its replicas, on which no acknowledged write could succeed.
 */
export function loadTopicPlan(
  file = defaultTopicsFile,
  overrides: ReplicationOverrides = {},
): DesiredTopic[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${messageOf(error)}`, { cause: error });
  }
  const parsed = topicsFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${file}: ${problems}`);
  }
  const topics = parsed.data.topics.map((t) => ({
    name: t.name,
    purpose: t.purpose,
    partitions: t.partitions ?? parsed.data.defaults.partitions,
    replicationFactor:
      t.replicationFactor ?? overrides.replicationFactor ?? parsed.data.defaults.replicationFactor,
    config:
      overrides.minInsyncReplicas === undefined
        ? t.config
        : { ...t.config, 'min.insync.replicas': String(overrides.minInsyncReplicas) },
  }));
  for (const topic of topics) {
    const minInsync = Number(topic.config['min.insync.replicas'] ?? 1);
    if (minInsync > topic.replicationFactor) {
      throw new Error(
        `${file}: topic ${topic.name} has min.insync.replicas ${minInsync} but ${topic.replicationFactor} replicas: no write could succeed`,
      );
    }
  }
  for (const topic of topics.filter((t) => /\.events$/.test(t.name))) {
    if (topic.config['cleanup.policy'] !== 'delete' || topic.config['retention.ms'] !== '-1') {
      throw new Error(
        `${file}: event topic ${topic.name} must keep full history (cleanup.policy=delete, retention.ms=-1); compaction or retention would lose events`,
      );
    }
  }
  return topics;
}
