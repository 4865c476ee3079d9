import fs from 'node:fs';

/** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ). */
const MICROS_PER_TICK = 10_000;

/** user + system CPU of another process so far, in µs (from /proc); 0 once it is gone. */
export function processCpuMicros(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK;
  } catch {
    return 0;
  }
}
