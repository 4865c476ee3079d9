import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { processCpuMicros } from './process-cpu';

const repo = path.resolve(__dirname, '../..');
/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * The property service as production runs it: `npm start -- --only property --replicas
 * property=N` (the supervisor and N processes sharing one port), on a free port, with
 * tracing off. Its CPU is read from /proc for the supervisor and every replica.
 */
export class SupervisedProperty {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly pids: number[],
  ) {}

  static async start(replicas: number): Promise<SupervisedProperty> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'services/main.ts', '--only', 'property', '--replicas', `property=${replicas}`],
      {
        cwd: repo,
        env: {
          ...process.env,
          PROPERTY_PORT: String(port),
          DEEDSTREAM_EXTERNAL_STACK: 'true',
          LOG_LEVEL: 'warn',
          TRACING_ENABLED: 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const pids = new Set<number>([child.pid ?? 0]);
    const lines: string[] = [];
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`the property service did not start within 180 s:\n${lines.slice(-15).join('\n')}`),
          ),
        180_000,
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code}) while starting:\n${lines.slice(-15).join('\n')}`));
      });
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue;
        createInterface({ input: stream }).on('line', (line) => {
          lines.push(line);
          const listening = /\(pid (\d+)\) listening/.exec(line);
          if (listening?.[1]) pids.add(Number(listening[1]));
          if (/Ctrl-C stops the services/.test(line)) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
    });
    const service = new SupervisedProperty(child, port, []);
    try {
      await started;
    } catch (error) {
      await service.stop();
      throw error;
    }
    if (pids.size !== replicas + 1) {
      await service.stop();
      throw new Error(`expected ${replicas} property processes, the supervisor announced ${pids.size - 1}`);
    }
    service.pids.push(...pids);
    return service;
  }

  /** CPU used so far by the supervisor and every replica, in µs. */
  cpuMicros(): number {
    return this.pids.reduce((sum, pid) => sum + processCpuMicros(pid), 0);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}
