import type { Admin, Consumer, KafkaMessage } from 'kafkajs';
import { migrateAllToLatest } from '../../migrations/migrator';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { createDatabase } from '../../services/shared/db/database';
import { ConnectClient } from '../../services/shared/connect/connect-client';
import { applyConnector } from '../../services/shared/connect/connector-deployment';
import { connectorNames, loadConnector } from '../../services/shared/connect/connector-file';
import { defaultConnectorStateDir } from '../../stack/paths';
import { createKafka } from '../../services/shared/kafka/kafka-client';
import { applyTopics } from '../../services/shared/kafka/topic-admin';
import { loadTopicPlan } from '../../services/shared/kafka/topic-plan';

const config = infrastructureConfig();
export const kafka = createKafka(config.KAFKA_BROKERS, 'deedstream-e2e');
export const connect = ConnectClient.of(config);
export const connectorStateDir = defaultConnectorStateDir;

/** Migrations, topics and every service's outbox connector, in the main job's order (all idempotent). */
export async function ensurePipeline(): Promise<void> {
  // The connector's publication needs the outbox table, so the schema comes first.
  const db = createDatabase<unknown>({ connectionString: config.DATABASE_URL, maxConnections: 1 });
  try {
    await migrateAllToLatest(db);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await applyTopics(admin, loadTopicPlan());
    } finally {
      await admin.disconnect();
    }
    for (const name of connectorNames())
      await applyConnector(connect, db, loadConnector(name), connectorStateDir);
  } finally {
    await db.destroy();
  }
}

export type Offsets = Array<{ partition: number; offset: string }>;

/** The end of every partition now: messages produced from here on are "new". */
export async function endOffsets(topic: string): Promise<Offsets> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.high }));
  } finally {
    await admin.disconnect();
  }
}

export interface ReceivedMessage {
  partition: number;
  offset: string;
  key: string;
  value: Buffer;
  headers: Record<string, string | null>;
}

export function headersOf(message: KafkaMessage): Record<string, string | null> {
  const headers: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    headers[key] = first === undefined || first === null ? null : first.toString();
  }
  return headers;
}

/**
 * Reads a topic from the given offsets until `done(all so far)` holds, or fails after
 * `timeoutMs` with what it saw. A bounded wait on a condition, never a fixed sleep.
 */
export async function readUntil(
  topic: string,
  from: Offsets,
  done: (messages: ReceivedMessage[]) => boolean,
  timeoutMs: number,
): Promise<ReceivedMessage[]> {
  const groupId = `e2e-${topic}-${Date.now()}-${Math.random()}`;
  // The group starts where `from` says, committed before it joins: a seek issued while the
  // consumer is still joining can be overtaken by the first fetch from the end.
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({
      groupId,
      topic,
      partitions: from.map(({ partition, offset }) => ({ partition, offset })),
    });
  } finally {
    await admin.disconnect();
  }
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const messages: ReceivedMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  try {
    return await new Promise<ReceivedMessage[]>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`timed out after ${timeoutMs} ms on ${topic}; received ${messages.length} messages`),
          ),
        timeoutMs,
      );
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            messages.push({
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? '',
              value: message.value ?? Buffer.alloc(0),
              headers: headersOf(message),
            });
            if (done(messages)) {
              clearTimeout(timer);
              resolve(messages);
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await deleteGroup(groupId);
  }
}

async function deleteGroup(groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
}
