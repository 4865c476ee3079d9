/**
 * The consumer thread's entry (RelayConsumer.start runs this file in a worker thread): reads
 * property.events from the given offsets and posts every message with its receive time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createKafka } from '../../services/shared/kafka/kafka-client';
import { headersOf } from '../../test/support/pipeline';
import { now } from '../support/measure';
import type { ConsumerWorkerData, FromConsumer, Relayed } from './relay-consumer';

function consumeIntoParent(): void {
  const data = workerData as ConsumerWorkerData;
  const post = (message: FromConsumer) => parentPort?.postMessage(message);
  const consumer = createKafka(data.brokers, 'deedstream-bench-relay').consumer({
    groupId: `bench-relay-${process.pid}-${Date.now()}`,
    // Only waited out when nothing is available; a fetch returns as soon as there is data.
    maxWaitTimeInMs: 50,
  });
  let ready = false;
  consumer.on(consumer.events.FETCH, () => {
    // The first fetch after joining uses the seeked offsets: from here on nothing is missed.
    if (!ready) {
      ready = true;
      post({ type: 'ready' });
    }
  });
  parentPort?.on('message', () => {
    void consumer.disconnect().finally(() => process.exit(0));
  });
  const start = async () => {
    await consumer.connect();
    await consumer.subscribe({ topic: data.topic, fromBeginning: false });
    await consumer.run({
      // A throwaway group: committing offsets would only leave it behind on the broker.
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const receivedAt = now();
        const messages = batch.messages.map((m): Relayed => {
          const headers = headersOf(m);
          return {
            eventId: headers.eventId ?? null,
            key: m.key?.toString() ?? '',
            value: m.value ?? Buffer.alloc(0),
            headers,
            createTime: Number(m.timestamp),
            receivedAt,
          };
        });
        post({ type: 'batch', messages });
      },
    });
    for (const { partition, offset } of data.from) consumer.seek({ topic: data.topic, partition, offset });
  };
  start().catch((error: unknown) => post({ type: 'failed', error: String(error) }));
}

consumeIntoParent();
