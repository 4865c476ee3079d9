import net from 'node:net';

/**
 * One client connection through the proxy and its connection to the real port. While held
 * (its node is cut off) neither side is read: bytes wait in the kernel's buffers and senders
 * stall, as behind a partition where packets are dropped and TCP keeps retransmitting. Released
 * (healed), what waited flows on in order, and anything a side closed meanwhile closes too.
 */
export class Link {
  private upstream: net.Socket | undefined;
  private held = false;
  private closed = false;

  constructor(
    readonly client: net.Socket,
    private readonly target: number,
    private readonly onClose: (link: Link) => void,
  ) {
    client.on('error', () => this.close());
    client.on('close', () => this.close());
  }

  /** The proxy's side of the client's connection, as the client's table shows it: `client>front`. */
  get connection(): string {
    return `${this.client.remotePort}>${this.client.localPort}`;
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** Connects to the real port, unless held: then only once released. */
  open(): void {
    if (this.held || this.upstream || this.closed) return;
    const upstream = net.connect({ host: '127.0.0.1', port: this.target });
    this.upstream = upstream;
    upstream.on('error', () => this.close());
    upstream.on('close', () => this.close());
    this.pipe(this.client, upstream);
    this.pipe(upstream, this.client);
    // A client held since it connected was paused, and a new 'data' listener does not undo that.
    this.client.resume();
  }

  hold(): void {
    this.held = true;
    this.client.pause();
    this.upstream?.pause();
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    if (!this.upstream) return this.open();
    this.client.resume();
    this.upstream.resume();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
    this.upstream?.destroy();
    this.onClose(this);
  }

  /** Copies `from` to `to`, reading no faster than `to` drains and not at all while held. */
  private pipe(from: net.Socket, to: net.Socket): void {
    from.on('data', (chunk) => {
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!this.held) from.resume();
    });
    from.on('end', () => to.end());
  }
}
