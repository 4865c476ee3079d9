/**
 * What a running postmaster writes to <datadir>/postmaster.pid: its pid, its data
 * directory (absolute) and its port on the first, second and fourth lines. It exists
 * while the server runs, however the server was started (`postgres`, `pg_ctl start`,
 * `pg_ctl restart`), so it is how the stack recognises its own Postgres.
 */
export interface PostmasterPid {
  pid: number;
  dataDir: string;
  port?: number;
}

/** Parses postmaster.pid; undefined when it is not one (empty, truncated mid-write, garbage). */
export function parsePostmasterPid(content: string): PostmasterPid | undefined {
  const [pidLine, dataDirLine, , portLine] = content.split('\n').map((line) => line.trim());
  if (!pidLine || !/^\d+$/.test(pidLine) || !dataDirLine?.startsWith('/')) return undefined;
  const pid = Number(pidLine);
  if (pid <= 0) return undefined;
  const port = portLine && /^\d+$/.test(portLine) ? Number(portLine) : undefined;
  return port === undefined ? { pid, dataDir: dataDirLine } : { pid, dataDir: dataDirLine, port };
}
