import { Command } from 'commander';
import { infrastructureConfig } from '../shared/service/infrastructure';
import { createKafka } from '../shared/kafka/kafka-client';
import { applyTopics, describeChange, describeTopics, planChanges } from '../shared/kafka/topic-admin';
import { defaultTopicsFile, loadTopicPlan } from '../shared/kafka/topic-plan';
import { messageOf } from '../shared/errors/message-of';

/** `npm run topics -- apply|describe [--file connectors/topics.json]` */
const program = new Command('topics').description(
  'Creates and inspects the Kafka topics declared in connectors/topics.json',
);

program
  .command('apply')
  .description('create missing topics, add partitions, set configs (idempotent)')
  .option('-f, --file <path>', 'topic declarations', defaultTopicsFile)
  .action(async (options: { file: string }) => {
    const plan = loadTopicPlan(options.file, topicOverrides());
    await withAdmin(async (admin) => {
      const changes = await applyTopics(admin, plan);
      if (changes.length === 0) console.log(`topics: all ${plan.length} topics already as declared`);
      for (const change of changes) console.log(`topics: ${describeChange(change)}`);
    });
  });

program
  .command('describe')
  .description('show each declared topic: partitions, configs and any drift from the declaration')
  .option('-f, --file <path>', 'topic declarations', defaultTopicsFile)
  .action(async (options: { file: string }) => {
    const plan = loadTopicPlan(options.file, topicOverrides());
    await withAdmin(async (admin) => {
      const current = await describeTopics(admin, plan);
      for (const topic of plan) {
        const state = current.get(topic.name);
        if (!state) {
          console.log(`${topic.name}: MISSING (run \`npm run topics -- apply\`) — ${topic.purpose}`);
          continue;
        }
        const config = Object.keys(topic.config)
          .map((key) => `${key}=${state.config[key]}`)
          .join(' ');
        console.log(`${topic.name}: ${state.partitions} partitions ${config} — ${topic.purpose}`);
      }
      const drift = planChanges(plan, current).filter((c) => c.action !== 'create');
      for (const change of drift) console.log(`drift: ${describeChange(change)}`);
    });
  });

async function withAdmin(work: (admin: import('kafkajs').Admin) => Promise<void>): Promise<void> {
  const brokers = infrastructureConfig().KAFKA_BROKERS;
  const admin = createKafka(brokers, 'deedstream-topics').admin();
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `cannot reach Kafka at ${brokers} (${messageOf(error)}): start it with \`npm run stack -- up\` or set KAFKA_BROKERS`,
      { cause: error },
    );
  }
  try {
    await work(admin);
  } finally {
    await admin.disconnect();
  }
}

program.parseAsync().catch((error: unknown) => {
  console.error(`topics: ${messageOf(error)}`);
  process.exit(1);
});

/** The deployment's replication settings (KAFKA_TOPIC_REPLICATION_FACTOR, KAFKA_TOPIC_MIN_INSYNC_REPLICAS). */
function topicOverrides() {
  const config = infrastructureConfig();
  return {
    replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
    minInsyncReplicas: config.KAFKA_TOPIC_MIN_INSYNC_REPLICAS,
  };
}
