import type { AddressInfo } from 'node:net';
import express from 'express';
import { HttpListener } from './http-listener';

/** HTTP_HOST decides where a service listens: loopback by default, every address in a container. */
describe('HttpListener', () => {
  const app = express().get('/ping', (_req, res) => void res.send('pong'));

  it.each(['127.0.0.1', '0.0.0.0'])('listens on %s and answers there', async (host) => {
    const listener = new HttpListener(app);
    try {
      await listener.listen(0, host);
      expect((listener.server.address() as AddressInfo).address).toBe(host);
      const response = await fetch(`http://127.0.0.1:${listener.port}/ping`);
      expect(await response.text()).toBe('pong');
    } finally {
      await listener.close();
    }
  });
});
