import cluster, { type Worker } from 'node:cluster';
import { CONFIG_ERROR_EXIT } from '../shared/service/service-process';
import { errorMessageOf, eachLine } from './log-lines';
import { processLabel, type PlannedProcess } from './process-plan';
import { RestartBackoff } from './restart-backoff';

export interface SupervisorOptions {
  /** The script a child runs with the service name as its argument (services/serve.ts). */
  entry: string;
  /** How long children get to stop gracefully before they are killed. */
  stopTimeoutMs: number;
  /** Where the supervisor's own lines and the children's prefixed lines go. */
  write: (line: string) => void;
  /** Overrides the backoff of every process (tests). */
  backoff?: () => RestartBackoff;
}

/** What the supervisor knows of one planned process. */
export interface ProcessState {
  label: string;
  service: string;
  pid: number | undefined;
  restarts: number;
  state: 'starting' | 'listening' | 'restarting' | 'stopped' | 'failed';
}

interface Slot {
  plan: PlannedProcess;
  label: string;
  backoff: RestartBackoff;
  worker: Worker | undefined;
  startedAt: number;
  restarts: number;
  lastError: string | undefined;
  restartTimer: NodeJS.Timeout | undefined;
  state: ProcessState['state'];
}

/**
 * Runs each planned process as a child (Node's cluster module, so replicas of a service
 * share its HTTP port), prefixes each line a child writes with its name, restarts a child
 * that exits unexpectedly with backoff and one line saying why it died, and stops them
 * all gracefully, within a bound, on `stop()`.
 */
export class Supervisor {
  private readonly slots: Slot[];
  private stopping = false;

  constructor(
    plan: readonly PlannedProcess[],
    private readonly options: SupervisorOptions,
  ) {
    this.slots = plan.map((p) => ({
      plan: p,
      label: processLabel(p),
      backoff: options.backoff?.() ?? new RestartBackoff(),
      worker: undefined,
      startedAt: 0,
      restarts: 0,
      lastError: undefined,
      restartTimer: undefined,
      state: 'starting',
    }));
  }

  /** Starts every process; resolves once each has started listening (or given up). */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.fork(slot)));
  }

  processes(): ProcessState[] {
    return this.slots.map((s) => ({
      label: s.label,
      service: s.plan.service,
      pid: s.worker?.process.pid,
      restarts: s.restarts,
      state: s.state,
    }));
  }

  /** SIGTERM to every child, SIGKILL to those still running after the stop timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    const running: Array<Promise<void>> = [];
    for (const slot of this.slots) {
      clearTimeout(slot.restartTimer);
      const worker = slot.worker;
      if (!worker || worker.isDead()) continue;
      running.push(new Promise((resolve) => worker.once('exit', () => resolve())));
      worker.process.kill('SIGTERM');
    }
    const killer = setTimeout(() => {
      for (const slot of this.slots) {
        if (slot.worker && !slot.worker.isDead()) {
          this.say(
            `${slot.label} (pid ${slot.worker.process.pid}) did not stop in ${this.options.stopTimeoutMs} ms: killing it`,
          );
          slot.worker.process.kill('SIGKILL');
        }
      }
    }, this.options.stopTimeoutMs);
    await Promise.all(running);
    clearTimeout(killer);
  }

  private fork(slot: Slot): Promise<void> {
    cluster.setupPrimary({ exec: this.options.entry, args: [slot.plan.service], silent: true });
    const worker = cluster.fork({ DEEDSTREAM_REPLICA: String(slot.plan.replica) });
    slot.worker = worker;
    slot.startedAt = Date.now();
    slot.state = 'starting';
    slot.lastError = undefined;
    const prefix = `${slot.label.padEnd(12)}│ `;
    const onLine = (line: string) => {
      slot.lastError = errorMessageOf(line) ?? slot.lastError;
      this.options.write(prefix + line);
    };
    eachLine(worker.process.stdout, onLine);
    eachLine(worker.process.stderr, (line) => {
      slot.lastError = line.trim() || slot.lastError;
      onLine(line);
    });
    return new Promise((resolve) => {
      worker.once('listening', (address) => {
        slot.state = 'listening';
        this.say(`${slot.label} (pid ${worker.process.pid}) listening on :${address.port}`);
        resolve();
      });
      worker.once('exit', (code, signal) => {
        resolve();
        this.onExit(slot, worker, code, signal);
      });
    });
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (this.stopping) {
      slot.state = 'stopped';
      this.say(`${slot.label} (pid ${worker.process.pid}) stopped`);
      return;
    }
    const why = slot.lastError ? ` (last error: ${slot.lastError})` : '';
    if (code === CONFIG_ERROR_EXIT) {
      slot.state = 'failed';
      this.say(
        `${slot.label} (pid ${worker.process.pid}) ${how}: its configuration is invalid${why}; not restarting`,
      );
      return;
    }
    const delay = slot.backoff.next(Date.now() - slot.startedAt);
    slot.state = 'restarting';
    slot.restarts += 1;
    this.say(
      `${slot.label} (pid ${worker.process.pid}) ${how}${why}; restarting in ${(delay / 1000).toFixed(1)} s (crash ${slot.backoff.crashesInARow} in a row)`,
    );
    slot.restartTimer = setTimeout(() => {
      if (!this.stopping) void this.fork(slot);
    }, delay);
  }

  private say(line: string): void {
    this.options.write(`supervisor  │ ${line}`);
  }
}
