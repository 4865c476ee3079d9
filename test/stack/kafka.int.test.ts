import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';

const config = infrastructureConfig();
const kafka = new Kafka({
  clientId: 'stack-smoke',
  brokers: config.KAFKA_BROKERS.split(','),
  logLevel: logLevel.ERROR,
});

describe('Kafka (native stack)', () => {
  const admin = kafka.admin();
  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('does not create topics on first use (auto creation is off)', async () => {
    // Its own client: the broker's refusal is the expected outcome, not worth an error log.
    const quiet = new Kafka({
      clientId: 'stack-smoke-quiet',
      brokers: config.KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = quiet.producer({ allowAutoTopicCreation: true, retry: { retries: 1 } });
    await producer.connect();
    const topic = `smoke.never-created.${randomUUID()}`;
    await expect(producer.send({ topic, messages: [{ value: 'x' }] })).rejects.toThrow();
    await producer.disconnect();
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('produces and consumes a keyed message on an explicitly created topic', async () => {
    const topic = `smoke.kafka.${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [{ key: 'property-1', value: 'listed', headers: { eventType: 'PropertyListed' } }],
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `smoke-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string; value: string; eventType: string }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) =>
          resolve({
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
            eventType: message.headers?.eventType?.toString() ?? '',
          }),
      });
    });
    await consumer.disconnect();
    expect(received).toEqual({ key: 'property-1', value: 'listed', eventType: 'PropertyListed' });
  });
});
