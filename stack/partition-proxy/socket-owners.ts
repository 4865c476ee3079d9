import fs from 'node:fs';

/**
 * Which TCP connections a process holds, read from /proc: its socket file descriptors give
 * inodes, and the kernel's connection tables map each inode to its ports. The proxy asks this
 * to tell a node's own outgoing connections (to its peers' front ports) from everyone else's.
 */

/** `local>remote` port pairs of every TCP connection in one /proc/net/tcp or tcp6 table whose inode is in `inodes`. */
export function connectionsWithInodes(table: string, inodes: ReadonlySet<string>): Set<string> {
  const connections = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
    const fields = line.trim().split(/\s+/);
    const [local, remote, inode] = [fields[1], fields[2], fields[9]];
    if (!local || !remote || !inode || !inodes.has(inode)) continue;
    connections.add(`${portOf(local)}>${portOf(remote)}`);
  }
  return connections;
}

/** The port of an address as /proc writes it: `0100007F:2384` (IPv4) or 32 hex digits, a colon, the port. */
function portOf(address: string): number {
  return Number.parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
}

/** The inodes of the sockets `pid` has open (every thread shares the one fd table). */
function socketInodesOf(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes; // gone: it holds nothing
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // closed while we looked
    }
  }
  return inodes;
}

/** `local>remote` port pairs of every TCP connection `pid` holds now. */
export function connectionsOf(pid: number): Set<string> {
  const inodes = socketInodesOf(pid);
  const connections = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue; // no IPv6 on this kernel
    for (const connection of connectionsWithInodes(fs.readFileSync(table, 'utf8'), inodes))
      connections.add(connection);
  }
  return connections;
}
