import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Offsets } from '../../test/support/pipeline';
import { sleep } from '../support/measure';
import { tsxWorker } from '../support/tsx-worker';

/** What the consumer thread is started with. */
export interface ConsumerWorkerData {
  brokers: string;
  topic: string;
  from: Offsets;
}

/** A relayed message as the worker saw it. */
export interface Relayed {
  eventId: string | null;
  key: string;
  value: Uint8Array;
  headers: Record<string, string | null>;
  /** The Kafka message timestamp (CreateTime on this topic), epoch ms. */
  createTime: number;
  /** When the consumer's fetch returned the batch holding the message, epoch ms. */
  receivedAt: number;
}

/** What the consumer thread posts back. */
export type FromConsumer =
  { type: 'ready' } | { type: 'batch'; messages: Relayed[] } | { type: 'failed'; error: string };

/** First arrival of an event, and how often it arrived. */
export interface Arrival {
  message: Relayed;
  count: number;
}

/**
 * Main side of the consumer thread (consumer-thread.ts): collects every arrival by eventId,
 * whether or not its commit has been seen yet. The consumer runs in its own thread so its
 * receive times do not wait on the load generator's event loop.
 */
export class RelayConsumer {
  readonly arrivals = new Map<string, Arrival>();
  /** Messages without an eventId header (nothing this bench writes). */
  foreign = 0;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromConsumer) => {
      if (message.type === 'batch') this.add(message.messages);
      else if (message.type === 'failed') this.failure = new Error(`consumer worker: ${message.error}`);
    });
    worker.on('error', (error) => (this.failure = error));
  }

  /** Starts the worker and resolves once its first fetch from `from` has returned. */
  static async start(data: ConsumerWorkerData, timeoutMs: number): Promise<RelayConsumer> {
    const worker = tsxWorker(path.join(__dirname, 'consumer-thread.ts'), data);
    const consumer = new RelayConsumer(worker);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the consumer did not start within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (message: FromConsumer) => {
        if (message.type === 'batch') return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        if (message.type === 'ready') resolve();
        else reject(new Error(`consumer worker: ${message.error}`));
      };
      worker.on('message', onMessage);
    });
    return consumer;
  }

  private add(messages: Relayed[]): void {
    for (const message of messages) {
      if (message.eventId === null) {
        this.foreign++;
        continue;
      }
      const seen = this.arrivals.get(message.eventId);
      if (seen) seen.count++;
      else this.arrivals.set(message.eventId, { message, count: 1 });
    }
  }

  /** Waits until every id has arrived or `timeoutMs` passed; true if all arrived. */
  async waitForAll(eventIds: readonly string[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let checked = 0;
    for (;;) {
      if (this.failure) throw this.failure;
      // Arrivals are never removed, so ids already found need not be checked again.
      while (checked < eventIds.length && this.arrivals.has(eventIds[checked] ?? '')) checked++;
      if (checked === eventIds.length) return true;
      if (Date.now() >= deadline) return false;
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage('stop');
    // A consumer that cannot leave its group cleanly must not hold the run open.
    await Promise.race([exited, sleep(10_000)]);
    await this.worker.terminate();
  }
}
