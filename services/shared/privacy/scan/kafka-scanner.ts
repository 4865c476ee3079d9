import type { Kafka } from 'kafkajs';
import { streamTopicsToEnd } from '../../kafka/topics-to-end';
import type { Finding, ScanSummary } from './finding';
import type { ValueProbe } from './value-probe';

/**
 * The topics to scan: every topic, DLQs included, except Kafka's and Debezium's internal
 * ones (`__consumer_offsets`, `__debezium-heartbeat.*`), which carry offsets and beats.
 */
export async function scannableTopics(kafka: Kafka): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((topic) => !topic.startsWith('__')).sort();
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads the topics from the beginning to their current end and probes each message's key,
 * every header value, and its value (as text, and Avro-decoded when in the wire format).
 */
export async function scanTopics(
  kafka: Kafka,
  topics: readonly string[],
  probe: ValueProbe,
  options: { idleTimeoutMs?: number } = {},
): Promise<ScanSummary> {
  const present = new Set(await scannableTopics(kafka));
  const readable = topics.filter((topic) => present.has(topic));
  const unread = topics
    .filter((topic) => !present.has(topic))
    .map((topic) => `kafka topic ${topic}: no longer exists`);
  const findings: Finding[] = [];
  const scanned = await streamTopicsToEnd(
    kafka,
    readable,
    async ({ topic, partition, message }) => {
      const where = `kafka topic ${topic} partition ${partition} offset ${message.offset}`;
      if (message.key) findings.push(...(await probe.probe(message.key, where, 'key')));
      for (const [name, header] of Object.entries(message.headers ?? {})) {
        for (const value of Array.isArray(header) ? header : [header]) {
          if (value !== undefined && value !== null)
            findings.push(...(await probe.probe(value, where, `header ${name}`)));
        }
      }
      if (message.value) findings.push(...(await probe.probe(message.value, where, 'value')));
    },
    { groupPrefix: 'privacy-scan', ...options },
  );
  return { findings, scanned, unread };
}
