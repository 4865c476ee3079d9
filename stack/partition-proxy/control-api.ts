import http from 'node:http';
import { messageOf } from '../../services/shared/errors/message-of';
import { UnknownNode, type PartitionProxy } from './partition-proxy';

/**
 * The tests' switch: `PUT /partitions/<node>` cuts a node off, `DELETE /partitions/<node>`
 * heals it, `GET /partitions` says who is cut off and how many connections are held. Each
 * answers the proxy's status; an unknown or stopped node is a 404 problem.
 */
export function controlApi(proxy: PartitionProxy): http.Server {
  return http.createServer((req, res) => {
    const answer = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type }).end(JSON.stringify(body));
    };
    const node = /^\/partitions\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    try {
      if (req.method === 'GET' && req.url === '/partitions') return answer(200, proxy.status());
      if (req.method === 'PUT' && node) return answer(200, proxy.cut(node));
      if (req.method === 'DELETE' && node) return answer(200, proxy.heal(node));
      answer(
        404,
        { title: 'Not Found', status: 404, detail: `no ${req.method} ${req.url}` },
        'application/problem+json',
      );
    } catch (error) {
      const status = error instanceof UnknownNode ? 404 : 500;
      answer(
        status,
        { title: 'Cannot cut off', status, detail: messageOf(error) },
        'application/problem+json',
      );
    }
  });
}
