import os from 'node:os';
import { percent } from './format';

/** The machine a result was measured on: figures from different machines do not compare. */
export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  platform: string;
  /** Machine busy share during a short quiet sample before the load: other work sharing the cores. */
  backgroundCpuBusy: number;
}

export function describeMachine(backgroundCpuBusy: number): Machine {
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    backgroundCpuBusy,
  };
}

/** The report's first line about the machine; `before` names what the quiet sample preceded. */
export function machineLine(machine: Machine, before: 'the load' | 'the run'): string {
  return (
    `machine: ${machine.cores} cores (${machine.cpu}), node ${machine.node}, ${machine.platform}; ` +
    `${percent(machine.backgroundCpuBusy)} busy before ${before}`
  );
}
