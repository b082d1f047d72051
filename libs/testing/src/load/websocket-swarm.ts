import WebSocket from 'ws';

export interface WebSocketSwarmOptions {
  url: string;
  clients: number;
  /** Connections opened at once; opening thousands at the same instant overflows the listen backlog. */
  concurrency?: number;
  /** Sent by each client right after it opens (first-message auth, room join). */
  hello?: (index: number) => string;
  onMessage?: (index: number, data: string) => void;
}

export interface WebSocketSwarm {
  sockets: WebSocket[];
  /** Messages received per client index. */
  received: number[];
  close(): Promise<void>;
}

export async function openWebSocketSwarm(options: WebSocketSwarmOptions): Promise<WebSocketSwarm> {
  const sockets: WebSocket[] = [];
  const received = new Array<number>(options.clients).fill(0);
  const concurrency = options.concurrency ?? 200;
  for (let start = 0; start < options.clients; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, options.clients - start) }, (_, offset) =>
      openClient(start + offset),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  return {
    sockets,
    received,
    close: async () => {
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === WebSocket.CLOSED) return resolve();
              socket.once('close', () => resolve());
              socket.close();
            }),
        ),
      );
    },
  };

  function openClient(index: number): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(options.url);
      socket.on('message', (data: WebSocket.RawData) => {
        received[index] = (received[index] ?? 0) + 1;
        options.onMessage?.(index, rawDataToString(data));
      });
      socket.once('error', reject);
      socket.once('open', () => {
        if (options.hello) socket.send(options.hello(index));
        resolve(socket);
      });
    });
  }
}

function rawDataToString(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(new Uint8Array(data)).toString('utf8');
  return data.toString('utf8');
}
