import { kinds, type Mix } from '../support/http-commands';
import { machineLine, type Machine } from '../support/machine';
import { table } from '../support/measure';
import type { Options, PathName } from './options';
import type { PathReport } from './path-meter';
import type { OperationFigures, StreamLengthReport } from './stream-length-phase';

/** Everything a run measured, as `--json` prints it. */
export interface BenchResult {
  commandLine: string;
  machine: Machine;
  settings: {
    concurrency: number;
    durationS: number;
    warmupS: number;
    propertiesPerPath: number;
    mix: Mix;
    dbPool: number;
    rounds: number;
  };
  paths: PathReport[];
  apiToRawRatio: number | null;
  /** What verifying each request's token costs: api against api-preverified, in the same run. */
  tokenVerification: { throughputRatio: number; cpuMsPerCommand: number } | null;
  /** commands/s of the service as N processes against as 1 (same run). */
  processScaling: Array<{ processes: number; throughputRatio: number }>;
  /** Short against long streams, with the service's snapshots and without any. */
  streamLength: StreamLengthReport[];
}

/** The run's result: every path's figures and the ratios between paths measured in the same run. */
export function benchResult(
  commandLine: string,
  machine: Machine,
  options: Options,
  dbPool: number,
  reports: PathReport[],
  streamLength: StreamLengthReport[],
): BenchResult {
  const byPath = (name: PathName) => reports.find((r) => r.path === name);
  const api = byPath('api');
  const preverified = byPath('api-preverified');
  const raw = byPath('raw');
  return {
    commandLine,
    machine,
    settings: {
      concurrency: options.concurrency,
      durationS: options.duration,
      warmupS: options.warmup,
      propertiesPerPath: options.properties,
      mix: options.mix,
      dbPool,
      rounds: options.rounds,
    },
    paths: reports,
    apiToRawRatio: api && raw ? api.commandsPerSecond / raw.commandsPerSecond : null,
    tokenVerification:
      api && preverified
        ? {
            throughputRatio: api.commandsPerSecond / preverified.commandsPerSecond,
            cpuMsPerCommand: api.cpuMsPerCommand - preverified.cpuMsPerCommand,
          }
        : null,
    streamLength,
    processScaling: (() => {
      const single = reports.find((r) => r.path === 'processes×1');
      return single
        ? reports
            .filter((r) => r.path.startsWith('processes×') && r !== single)
            .map((r) => ({
              processes: Number(r.path.slice('processes×'.length)),
              throughputRatio: r.commandsPerSecond / single.commandsPerSecond,
            }))
        : [];
    })(),
  };
}

export function printReport(result: BenchResult): void {
  const { settings } = result;
  const mix = kinds.map((k) => `${k}=${settings.mix[k]}`).join(',');
  const lines = [
    `command: ${result.commandLine}`,
    machineLine(result.machine, 'the load'),
    `settings: concurrency ${settings.concurrency}, db pool ${settings.dbPool}, warm-up ${settings.warmupS}s, ` +
      `measured ${settings.durationS}s in ${settings.rounds} alternating rounds, mix ${mix}, ${settings.propertiesPerPath} properties listed first per path`,
    '',
    ...pathLines(result),
    ...result.streamLength.flatMap(streamLengthLines),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Every path side by side, the ratios between them, then each path's details. */
function pathLines(result: BenchResult): string[] {
  const header = [
    'path',
    'commands',
    'duration',
    'commands/s',
    'CPU ms/cmd',
    'p50 ms',
    'p99 ms',
    'conflicts',
    'errors',
  ];
  const rows = result.paths.map((r) => [
    r.path,
    String(r.commands),
    `${r.durationS.toFixed(1)} s`,
    r.commandsPerSecond.toFixed(0),
    r.cpuMsPerCommand.toFixed(2),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    String(r.conflicts),
    String(r.errors),
  ]);
  const lines = [...table(header, rows), ''];
  if (result.apiToRawRatio !== null) lines.push(`api/raw: ${result.apiToRawRatio.toFixed(2)}`);
  for (const scaling of result.processScaling)
    lines.push(`processes×${scaling.processes}/processes×1: ${scaling.throughputRatio.toFixed(2)}`);
  if (result.tokenVerification !== null)
    lines.push(
      `token verification: api/api-preverified ${result.tokenVerification.throughputRatio.toFixed(2)}, ` +
        `${result.tokenVerification.cpuMsPerCommand.toFixed(3)} CPU ms per command`,
    );
  for (const r of result.paths) {
    const elu =
      (Number.isNaN(r.serverEventLoopUtilization)
        ? 'service in its own processes'
        : `server loop ${(r.serverEventLoopUtilization * 100).toFixed(0)}% busy`) +
      (r.clientEventLoopUtilization === undefined
        ? ''
        : `, client loop ${(r.clientEventLoopUtilization * 100).toFixed(0)}%`);
    lines.push(
      `${r.path}: p90 ${r.p90Ms.toFixed(2)} ms, max ${r.maxMs.toFixed(2)} ms; mix ${kinds.map((k) => `${k} ${r.byKind[k]}`).join(', ')}; ` +
        `${elu}; this process ${r.processCpuCores.toFixed(2)} cores; machine ${(r.machineCpuBusy * 100).toFixed(0)}% busy`,
    );
    for (const [detail, count] of Object.entries(r.errorSamples)) lines.push(`  ${count}× ${detail}`);
  }
  return lines;
}

/** Short against long streams on one service. */
function streamLengthLines(phase: StreamLengthReport): string[] {
  const figures = (f: OperationFigures) =>
    `p50 ${f.p50Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms, ${f.cpuMs.toFixed(2)} CPU ms`;
  return [
    '',
    `stream length, ${phase.service} (${phase.samples} sequential operations each; long = ${phase.longStreamEvents} events, short = 5):`,
    `  price change  short: ${figures(phase.short.command)}; long: ${figures(phase.long.command)}`,
    `  GET property  short: ${figures(phase.short.read)}; long: ${figures(phase.long.read)}`,
    `  long/short    command p50 ${phase.ratios.commandP50.toFixed(2)}, CPU ${phase.ratios.commandCpu.toFixed(2)}; ` +
      `GET p50 ${phase.ratios.readP50.toFixed(2)}, CPU ${phase.ratios.readCpu.toFixed(2)}`,
  ];
}
