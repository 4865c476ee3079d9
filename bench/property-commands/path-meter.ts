import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Kind } from '../support/http-commands';
import { cpuTimes, percentile } from '../support/measure';
import type { PhaseResult } from './closed-loop';

export interface PathReport {
  /** A --paths name, or `processes×N` (the service as N supervised processes). */
  path: string;
  commands: number;
  ok: number;
  conflicts: number;
  errors: number;
  errorSamples: Record<string, number>;
  byKind: Record<Kind, number>;
  durationS: number;
  commandsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Share of the phase the service's (main) event loop was busy (NaN: the service ran in other processes). */
  serverEventLoopUtilization: number;
  /** Same for the HTTP client worker (API path only). */
  clientEventLoopUtilization?: number;
  /** CPU time of the service and its clients (this process, plus the service's processes if it ran in others) per wall second, in cores. */
  processCpuCores: number;
  /** The same CPU time per accepted command, in ms. */
  cpuMsPerCommand: number;
  /** Share of all cores busy machine-wide (Postgres, this process, everything else). */
  machineCpuBusy: number;
}

/** Resource use and results of one path, summed over its measured rounds. */
export class PathMeter {
  private readonly results: PhaseResult[] = [];
  private serverActive = 0;
  private serverTotal = 0;
  private clientActive = 0;
  private clientTotal = 0;
  private cpuMicros = 0;
  private machineBusy = 0;
  private machineTotal = 0;

  constructor(
    readonly path: string,
    private readonly clientElu?: (a?: EventLoopUtilization) => EventLoopUtilization,
    /** CPU (µs so far) of service processes other than this one. */
    private readonly externalCpuMicros?: () => number,
  ) {}

  async round(run: () => Promise<PhaseResult>): Promise<void> {
    const elu0 = performance.eventLoopUtilization();
    const clientElu0 = this.clientElu?.();
    const cpu0 = process.cpuUsage();
    const external0 = this.externalCpuMicros?.() ?? 0;
    const machine0 = cpuTimes();
    this.results.push(await run());
    const cpu = process.cpuUsage(cpu0);
    this.cpuMicros += (this.externalCpuMicros?.() ?? 0) - external0;
    const machine1 = cpuTimes();
    const elu = performance.eventLoopUtilization(elu0);
    this.serverActive += elu.active;
    this.serverTotal += elu.active + elu.idle;
    if (this.clientElu && clientElu0) {
      const c = this.clientElu(clientElu0);
      this.clientActive += c.active;
      this.clientTotal += c.active + c.idle;
    }
    this.cpuMicros += cpu.user + cpu.system;
    this.machineBusy += machine1.busy - machine0.busy;
    this.machineTotal += machine1.total - machine0.total;
  }

  report(): PathReport {
    const sum = (f: (r: PhaseResult) => number) => this.results.reduce((acc, r) => acc + f(r), 0);
    const latencies = new Float64Array(sum((r) => r.latenciesMs.length));
    let offset = 0;
    for (const r of this.results) {
      latencies.set(r.latenciesMs, offset);
      offset += r.latenciesMs.length;
    }
    latencies.sort();
    const errorSamples: Record<string, number> = {};
    for (const r of this.results)
      for (const [k, v] of Object.entries(r.errorSamples)) errorSamples[k] = (errorSamples[k] ?? 0) + v;
    const seconds = sum((r) => r.elapsedMs) / 1000;
    const ok = sum((r) => r.ok);
    return {
      path: this.path,
      commands: latencies.length,
      ok,
      conflicts: sum((r) => r.conflicts),
      errors: sum((r) => r.errors),
      errorSamples,
      byKind: {
        list: sum((r) => r.byKind.list),
        price: sum((r) => r.byKind.price),
        offer: sum((r) => r.byKind.offer),
      },
      durationS: seconds,
      commandsPerSecond: ok / seconds,
      p50Ms: percentile(latencies, 0.5),
      p90Ms: percentile(latencies, 0.9),
      p99Ms: percentile(latencies, 0.99),
      maxMs: percentile(latencies, 1),
      serverEventLoopUtilization: this.externalCpuMicros ? Number.NaN : this.serverActive / this.serverTotal,
      ...(this.clientTotal > 0 ? { clientEventLoopUtilization: this.clientActive / this.clientTotal } : {}),
      processCpuCores: this.cpuMicros / 1e6 / seconds,
      cpuMsPerCommand: this.cpuMicros / 1000 / ok,
      machineCpuBusy: this.machineBusy / this.machineTotal,
    };
  }
}
