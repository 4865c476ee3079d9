import { connectionsWithInodes } from './socket-owners';

const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0000000000000000 100 0 0 10 0
   1: 0100007F:D431 0100007F:2384 01 00000000:00000000 00:00000000 00000000     0        0 2222 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:2384 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 3333 1 0000000000000000 20 4 30 10 -1
`;
const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0000000000000000FFFF00000100007F:B3F2 0000000000000000FFFF00000100007F:2386 01 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 20 4 1 10 -1
`;

describe("a process's TCP connections, from the kernel's tables", () => {
  it('gives local>remote ports of the connections whose inode the process holds, IPv4 and IPv6 alike', () => {
    const inodes = new Set(['2222', '4444']);
    expect(connectionsWithInodes(tcp, inodes)).toEqual(new Set(['54321>9092']));
    expect(connectionsWithInodes(tcp6, inodes)).toEqual(new Set(['46066>9094']));
  });

  it('gives nothing for a process holding none of them (the other end, or a listener)', () => {
    expect(connectionsWithInodes(tcp, new Set(['9999']))).toEqual(new Set());
    expect(connectionsWithInodes(tcp, new Set(['1111'])).size).toBe(1); // a listener: >0
  });
});
