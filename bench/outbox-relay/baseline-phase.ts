import type { IHeaders, Message } from 'kafkajs';
import { propertyTopic } from '../../services/property/published';
import { loadTopicPlan } from '../../services/shared/kafka/topic-plan';
import { kafka } from '../../test/support/pipeline';
import { now, withMachineCpu } from '../support/measure';
import type { Options } from './options';
import type { Relayed } from './relay-consumer';

export interface BaselineReport {
  topic: string;
  partitions: number;
  messages: number;
  batch: number;
  seconds: number;
  messagesPerSecond: number;
  meanValueBytes: number;
  machineCpuBusy: number;
}

/**
 * The broker's own produce rate for the relayed messages themselves (same keys, value bytes
 * and headers), to a scratch topic with the same partition count, from an idempotent
 * acks=all producer as the connector's. kafkajs tracks idempotent sequence numbers per
 * partition without ordering concurrent requests, so sends go one at a time
 * (maxInFlightRequests 1), each a batch of `batch` messages spread over every partition.
 * The scratch topic is deleted at the end, whatever failed.
 */
export async function baselinePhase(
  source: readonly Relayed[],
  options: Options,
  progress: (text: string) => void,
): Promise<BaselineReport> {
  const plan = loadTopicPlan().find((t) => t.name === propertyTopic);
  const partitions = 12;
  const topic = `bench.relay-baseline.${process.pid}.${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor: plan?.replicationFactor ?? 1 }],
    });
    await producer.connect();
    const messages: Message[] = source.map((m) => {
      const headers: IHeaders = {};
      for (const [k, v] of Object.entries(m.headers)) if (v !== null) headers[k] = v;
      return {
        key: m.key,
        value: Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength),
        headers,
      };
    });
    // Not timed: metadata, the producer id and the first connection to every partition leader.
    await producer.send({ topic, acks: -1, messages: messages.slice(0, options.baselineBatch) });
    progress(`baseline: producing ${messages.length} messages to ${topic}…`);
    const { result: seconds, machineCpuBusy } = await withMachineCpu(async () => {
      const start = now();
      for (let i = 0; i < messages.length; i += options.baselineBatch)
        await producer.send({ topic, acks: -1, messages: messages.slice(i, i + options.baselineBatch) });
      return (now() - start) / 1000;
    });
    return {
      topic,
      partitions,
      messages: messages.length,
      batch: options.baselineBatch,
      seconds,
      messagesPerSecond: messages.length / seconds,
      meanValueBytes: source.reduce((sum, m) => sum + m.value.byteLength, 0) / Math.max(1, source.length),
      machineCpuBusy,
    };
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch((error: unknown) => {
      process.stderr.write(`could not delete the scratch topic ${topic}: ${String(error)}\n`);
    });
    await admin.disconnect();
  }
}
