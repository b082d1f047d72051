import net from 'node:net';

/** A TCP proxy in front of Postgres that forwards nothing until `release()`: a server slow to open a session. */
export interface HeldOpenProxy {
  /** The database URL with the proxy's host and port. */
  url: string;
  /** Resolves when a client's connection reached the proxy. */
  accepted: Promise<void>;
  /** Starts forwarding the held connections (and every later one) to Postgres. */
  release(): void;
  close(): Promise<void>;
}

export async function heldOpenProxy(databaseUrl: string): Promise<HeldOpenProxy> {
  const upstream = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  const held: net.Socket[] = [];
  let released = false;
  let markAccepted: () => void = () => undefined;
  const accepted = new Promise<void>((resolve) => (markAccepted = resolve));

  const forward = (client: net.Socket): void => {
    const server = net.connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(server);
    client.pipe(server).pipe(client);
    const closeBoth = (): void => {
      client.destroy();
      server.destroy();
    };
    client.on('close', closeBoth).on('error', closeBoth);
    server.on('close', closeBoth).on('error', closeBoth);
  };

  const proxy = net.createServer((client) => {
    sockets.add(client);
    client.pause();
    if (released) forward(client);
    else held.push(client);
    markAccepted();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as net.AddressInfo;
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);

  return {
    url: url.toString(),
    accepted,
    release: () => {
      released = true;
      held.splice(0).forEach((client) => {
        if (!client.destroyed) forward(client);
      });
    },
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
