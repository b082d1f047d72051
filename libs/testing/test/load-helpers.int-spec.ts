import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { httpLoad, openWebSocketSwarm, waitUntil } from '@remedy/testing';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('load helpers', () => {
  it('httpLoad sends the requested number of requests and reports latency and non-2xx', async () => {
    let served = 0;
    const server = createServer((request, response) => {
      served++;
      response.statusCode = request.url === '/missing' ? 404 : 200;
      response.end('ok');
    });
    const port = await listen(server);
    try {
      const ok = await httpLoad({ url: `http://127.0.0.1:${port}/`, connections: 5, amount: 200 });
      expect(ok.requests).toBe(200);
      expect(ok.non2xx).toBe(0);
      expect(ok.latencyMs.p99).toBeGreaterThanOrEqual(ok.latencyMs.p50);
      const missing = await httpLoad({ url: `http://127.0.0.1:${port}/missing`, connections: 2, amount: 20 });
      expect(missing.non2xx).toBe(20);
      expect(served).toBe(220);
    } finally {
      await close(server);
    }
  });

  it('openWebSocketSwarm opens every client in batches, sends each hello, and counts what each receives', async () => {
    const server = createServer();
    const sockets = new WebSocketServer({ server });
    const hellos: string[] = [];
    sockets.on('connection', (socket) =>
      socket.on('message', (data: Buffer) => hellos.push(data.toString('utf8'))),
    );
    const port = await listen(server);
    const messages: string[] = [];
    const swarm = await openWebSocketSwarm({
      url: `ws://127.0.0.1:${port}`,
      clients: 60,
      concurrency: 25,
      hello: (index) => `hello ${index}`,
      onMessage: (index, data) => messages.push(`${index}:${data}`),
    });
    try {
      expect(swarm.sockets).toHaveLength(60);
      for (const client of sockets.clients) client.send('tick');
      await waitUntil(
        'every client to receive the tick',
        () => messages.length === 60 && hellos.length === 60,
      );
      expect(swarm.received.every((count) => count === 1)).toBe(true);
      expect(new Set(hellos).size).toBe(60);
    } finally {
      await swarm.close();
      sockets.close();
      await close(server);
    }
  });
});
