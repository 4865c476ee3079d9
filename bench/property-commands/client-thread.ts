/**
 * The client thread's entry (ClientWorker.start runs this file in a worker thread): keeps
 * its targets across phases (seed, warm-up, measure) and runs each closed loop on request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HttpCommands, Targets } from '../support/http-commands';
import type { ClientWorkerData, FromClient, ToClient } from './client-worker';
import { runClosedLoop } from './closed-loop';

function serveClosedLoops(): void {
  const data = workerData as ClientWorkerData;
  const tokens = { seller: data.sellerToken, buyer: data.buyerToken };
  const commands = new HttpCommands({ port: data.port, maxSockets: data.concurrency, tokens: () => tokens });
  const targets = new Targets();
  parentPort?.on('message', (message: ToClient) => {
    runClosedLoop(commands, targets, message.spec).then(
      (result) => {
        const reply: FromClient = { phase: message.phase, result };
        parentPort?.postMessage(reply, [result.latenciesMs.buffer as ArrayBuffer]);
      },
      (error: unknown) => {
        const reply: FromClient = { phase: message.phase, failure: String(error) };
        parentPort?.postMessage(reply);
      },
    );
  });
}

serveClosedLoops();
