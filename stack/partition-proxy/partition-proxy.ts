import net from 'node:net';
import { Link } from './link';
import { connectionsOf } from './socket-owners';

/** Clients reach `owner` at `front`; the proxy forwards to where it really listens, `target`. */
export interface Route {
  front: number;
  target: number;
  owner: string;
}

export interface ProxyStatus {
  cutOff: string[];
  links: number;
  held: number;
}

/**
 * TCP proxies in front of every port of the nodes that tests may cut off. Cutting off a node
 * holds every connection to its front ports and every connection its own process opened to
 * another front port (found by pid, see socket-owners.ts), and holds new ones as they come:
 * the node's process keeps running but neither reaches nor is reached by anyone. Healing
 * releases them.
 */
export class PartitionProxy {
  private readonly servers: net.Server[] = [];
  private readonly links = new Set<Link>();
  /** The nodes cut off, each with its pid at the time of the cut. */
  private readonly cutOff = new Map<string, number>();

  constructor(
    private readonly routes: readonly Route[],
    private readonly pidOf: (owner: string) => number | undefined,
  ) {}

  async listen(): Promise<void> {
    for (const route of this.routes) {
      const server = net.createServer((client) => this.accept(route, client));
      this.servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(route.front, '127.0.0.1', () => resolve());
      });
    }
  }

  /** Cuts `owner` off; refuses a name no route has or a node that is not running. */
  cut(owner: string): ProxyStatus {
    if (!this.routes.some((route) => route.owner === owner)) throw new UnknownNode(owner);
    const pid = this.pidOf(owner);
    if (pid === undefined) throw new UnknownNode(owner, 'is not running');
    this.cutOff.set(owner, pid);
    const outgoing = connectionsOf(pid);
    for (const link of this.links) {
      if (this.isCut(link, outgoing)) link.hold();
    }
    return this.status();
  }

  heal(owner: string): ProxyStatus {
    this.cutOff.delete(owner);
    const stillCut = this.outgoingOfCutNodes();
    for (const link of this.links) {
      if (link.isHeld && !this.isCut(link, stillCut)) link.release();
    }
    return this.status();
  }

  status(): ProxyStatus {
    return {
      cutOff: [...this.cutOff.keys()],
      links: this.links.size,
      held: [...this.links].filter((link) => link.isHeld).length,
    };
  }

  async close(): Promise<void> {
    for (const link of this.links) link.close();
    await Promise.all(this.servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }

  private accept(route: Route, client: net.Socket): void {
    const link = new Link(client, route.target, (closed) => this.links.delete(closed));
    this.links.add(link);
    // Looking up who connected costs a /proc scan: only while a node is cut off.
    if (this.cutOff.size > 0 && this.isCut(link, this.outgoingOfCutNodes(), route)) link.hold();
    link.open();
  }

  private routeOf(link: Link): Route | undefined {
    return this.routes.find((route) => route.front === link.client.localPort);
  }

  /** Whether `link` ends at a node cut off, or began in one (its pair is in `outgoing`). */
  private isCut(link: Link, outgoing: ReadonlySet<string>, route = this.routeOf(link)): boolean {
    return (route !== undefined && this.cutOff.has(route.owner)) || outgoing.has(link.connection);
  }

  private outgoingOfCutNodes(): Set<string> {
    const outgoing = new Set<string>();
    for (const pid of this.cutOff.values()) for (const pair of connectionsOf(pid)) outgoing.add(pair);
    return outgoing;
  }
}

export class UnknownNode extends Error {
  constructor(owner: string, why = 'has no port behind the proxy') {
    super(`${owner} ${why}`);
    this.name = 'UnknownNode';
  }
}
