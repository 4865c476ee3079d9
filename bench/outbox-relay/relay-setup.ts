import { ConfigResourceTypes } from 'kafkajs';
import { connect, kafka } from '../../test/support/pipeline';

/**
 * The running connector's settings that bear on relay latency and throughput. Its producer's
 * (linger.ms, acks) are the worker's: stack/config/connect-distributed.properties.
 */
const tuningKeys = ['poll.interval.ms', 'max.batch.size', 'max.queue.size'] as const;

/**
 * Fails unless the connector and every task are RUNNING (nothing would be relayed), and
 * returns its tuning settings so the report says what the figures were measured with.
 */
export async function runningConnectorSettings(connector: string): Promise<Record<string, string>> {
  const status = await connect.status(connector);
  if (status.connector.state !== 'RUNNING' || status.tasks.some((t) => t.state !== 'RUNNING'))
    throw new Error(
      `${connector} is not RUNNING (connector ${status.connector.state}, tasks ${status.tasks.map((t) => t.state).join(',')}): run \`npm run connectors -- apply\` first`,
    );
  const running = (await connect.connectorConfig(connector)) ?? {};
  const settings: Record<string, string> = {};
  for (const key of tuningKeys) settings[key] = running[key] ?? '(default)';
  return settings;
}

/** The topic's message.timestamp.type: whether CreateTime is Debezium's stamp or the broker's. */
export async function topicTimestampType(topic: string): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['message.timestamp.type'] }],
    });
    return described.resources[0]?.configEntries[0]?.configValue ?? 'unknown';
  } finally {
    await admin.disconnect();
  }
}
