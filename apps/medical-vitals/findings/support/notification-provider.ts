import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the external notification provider (pager/SMS gateway): a real HTTP server whose
 * latency and failure can be set while it runs.
 */
export class NotificationProvider {
  readonly received: unknown[] = [];
  calls = 0;
  delayMs = 0;
  failing = false;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<NotificationProvider> {
    const server: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const current = provider;
        current.calls += 1;
        setTimeout(() => {
          if (current.failing) {
            response.writeHead(503).end('provider down');
            return;
          }
          current.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          response.writeHead(202).end();
        }, current.delayMs);
      });
    });
    const provider = new NotificationProvider(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return provider;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/notify`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
