import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';
import { PartitionProxy } from './partition-proxy';
import { waitFor } from '../../test/support/wait-for';

/** A server that answers every chunk with itself: what it echoes shows what got through. */
async function echoServer(): Promise<net.Server> {
  const server = net.createServer((socket) => socket.pipe(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

async function freePort(): Promise<number> {
  const probe = await echoServer();
  const port = portOf(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A client connection and everything it has received so far. */
async function connectTo(port: number): Promise<{ socket: net.Socket; received: () => string }> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  return { socket, received: () => received };
}

/** Lets the proxy move whatever it would move: nothing may arrive for a held link meanwhile. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('the partition proxy', () => {
  let echo: net.Server;
  let proxy: PartitionProxy;
  let front: number;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeEach(async () => {
    echo = await echoServer();
    front = await freePort();
    const childsFront = await freePort();
    const routes = [
      { front, target: portOf(echo), owner: 'echo' },
      // A node whose own port nobody uses here: the test cuts it off for its outgoing connections.
      { front: childsFront, target: portOf(echo), owner: 'child' },
    ];
    proxy = new PartitionProxy(routes, (owner) =>
      owner === 'echo' ? process.pid : owner === 'child' ? child?.pid : undefined,
    );
    await proxy.listen();
  });

  afterEach(async () => {
    child?.kill();
    child = undefined;
    await proxy.close();
    await new Promise((resolve) => echo.close(resolve));
  });

  it('holds the connections to a node cut off, old and new, and lets what waited through in order on heal', async () => {
    const before = await connectTo(front);
    before.socket.write('a');
    await waitFor('the echo before the cut', () => before.received() === 'a', 5_000);

    expect(proxy.cut('echo')).toMatchObject({ cutOff: ['echo'], held: 1 });
    before.socket.write('b');
    const during = await connectTo(front);
    during.socket.write('c');
    await settle();
    expect([before.received(), during.received()]).toEqual(['a', '']);

    expect(proxy.heal('echo')).toMatchObject({ cutOff: [], held: 0 });
    await waitFor(
      'what waited, after the heal',
      () => before.received() === 'ab' && during.received() === 'c',
      5_000,
    );
    before.socket.destroy();
    during.socket.destroy();
  });

  it("holds a node's own outgoing connections, found by its pid, and no one else's", async () => {
    // Another process connects through the proxy and prints what comes back.
    child = spawn(process.execPath, [
      '-e',
      `const s = require('net').connect(${front}, '127.0.0.1', () => process.stdout.write('connected\\n'));
       s.on('data', (d) => process.stdout.write(d));
       process.stdin.on('data', (d) => s.write(d));`,
    ]);
    let childReceived = '';
    child.stdout.on('data', (chunk: Buffer) => (childReceived += chunk.toString()));
    await waitFor('the other process to connect', () => childReceived === 'connected\n', 10_000);
    const mine = await connectTo(front);

    proxy.cut('child');
    child.stdin.write('x');
    mine.socket.write('y');
    await waitFor('my own connection to go on', () => mine.received() === 'y', 5_000);
    await settle();
    expect(childReceived).toBe('connected\n');

    proxy.heal('child');
    await waitFor("the other process's bytes after the heal", () => childReceived === 'connected\nx', 5_000);
    mine.socket.destroy();
  });

  it('refuses to cut off a node it has no port of, or one not running', () => {
    expect(() => proxy.cut('kafka-9')).toThrow('kafka-9 has no port behind the proxy');
    const stopped = new PartitionProxy([{ front: 1, target: 2, owner: 'ghost' }], () => undefined);
    expect(() => stopped.cut('ghost')).toThrow('ghost is not running');
  });
});
