import path from 'node:path';
import type { EventLoopUtilization } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { tsxWorker } from '../support/tsx-worker';
import type { PhaseResult, PhaseSpec } from './closed-loop';

/** What the client thread is started with. */
export interface ClientWorkerData {
  port: number;
  concurrency: number;
  /** Bearer tokens: the seller lists and changes prices, the buyer offers. */
  sellerToken: string;
  buyerToken: string;
}
export type ToClient = { phase: string; spec: PhaseSpec };
export type FromClient = { phase: string; result: PhaseResult } | { phase: string; failure: string };

/**
 * Main side of an API path's HTTP clients, which run in a worker thread (client-thread.ts)
 * so client work does not queue on the service's event loop in this one.
 */
export class ClientWorker {
  private constructor(private readonly worker: Worker) {}

  static start(data: ClientWorkerData): ClientWorker {
    return new ClientWorker(tsxWorker(path.join(__dirname, 'client-thread.ts'), data));
  }

  get eventLoopUtilization(): (a?: EventLoopUtilization) => EventLoopUtilization {
    return this.worker.performance.eventLoopUtilization;
  }

  run(phase: string, spec: PhaseSpec): Promise<PhaseResult> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromClient) => {
        if (message.phase !== phase) return;
        this.worker.off('message', onMessage);
        this.worker.off('error', reject);
        if ('failure' in message) reject(new Error(message.failure));
        else resolve(message.result);
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
      const request: ToClient = { phase, spec };
      this.worker.postMessage(request);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
