import os from 'node:os';

/**
 * What every benchmark here measures with: exact percentiles, machine CPU share, the
 * command line that produced the figures, and a plain text table.
 */

export const now = (): number => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of an ascending array: exact, no interpolation or histogram buckets. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

export interface Distribution {
  count: number;
  minMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function distribution(values: number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    minMs: percentile(sorted, 0),
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    maxMs: percentile(sorted, 1),
  };
}

/** Machine-wide busy and total CPU time over all cores (os.cpus() counters). */
export function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    const sum = t.user + t.nice + t.sys + t.idle + t.irq;
    total += sum;
    busy += sum - t.idle;
  }
  return { busy, total };
}

/** Measures the machine's busy share while `work` runs. */
export async function withMachineCpu<T>(
  work: () => Promise<T>,
): Promise<{ result: T; machineCpuBusy: number }> {
  const before = cpuTimes();
  const result = await work();
  const after = cpuTimes();
  return { result, machineCpuBusy: (after.busy - before.busy) / (after.total - before.total) };
}

/** Machine busy share over a short quiet sample: how much else is running on the box. */
export async function backgroundCpu(ms: number): Promise<number> {
  return (await withMachineCpu(() => sleep(ms))).machineCpuBusy;
}

/** The command that produced a result, as a reader would retype it. */
export function commandLine(script: string, file: string): string {
  const args = process.argv.slice(2).join(' ');
  return process.env.npm_lifecycle_event === script
    ? `npm run ${script}${args ? ` -- ${args}` : ''}`
    : `tsx ${file} ${args}`.trim();
}

/** Left-aligned first column, right-aligned figures. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [format(header), ...rows.map(format)];
}
