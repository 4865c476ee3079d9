import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the TypeScript file `file`. Worker threads do not inherit tsx's
 * loader, so the worker registers it before requiring the file.
 */
export function tsxWorker(file: string, workerData?: unknown): Worker {
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData });
}
