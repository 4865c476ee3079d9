import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { answerClientError } from '../http/client-error';

/**
 * Starts and stops an express app on one address (HTTP_HOST: 127.0.0.1 unless a container
 * publishes the port). In a cluster worker (a replica under the supervisor) the same port is
 * shared with the other replicas of the service.
 */
export class HttpListener {
  private current: Server | undefined;

  constructor(private readonly app: Express) {}

  /** The listening server (its address has the port when started on port 0). */
  get server(): Server {
    if (!this.current) throw new Error('not listening');
    return this.current;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  listen(port: number, host: string): Promise<Server> {
    return new Promise((resolve, reject) => {
      const server = this.app.listen(port, host, () => resolve(server));
      server.once('error', reject);
      // Requests Node refuses before express (a head over 16 KB) get a problem body too.
      server.on('clientError', answerClientError);
      this.current = server;
    });
  }

  /** Stops accepting connections, closes idle keep-alive ones, waits for requests in flight. */
  async close(): Promise<void> {
    const server = this.current;
    this.current = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}
