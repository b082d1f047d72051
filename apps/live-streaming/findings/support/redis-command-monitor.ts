import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Redis } from 'ioredis';

/**
 * Counts the commands the Redis server runs on keys that start with `keyPrefix`, from any client, as MONITOR
 * reports them: what the server did, not what a client meant to send. Other tests share the server, so only
 * the prefix's keys count. `settle()` runs a marker command on the prefix and waits until MONITOR has shown
 * it: every command before it has been counted.
 *
 * MONITOR is read from a plain socket: ioredis's monitor mode failed a proof with "Command queue state error"
 * when other clients' commands streamed in before it had taken MONITOR's own reply (a loaded shared server).
 */
export class RedisCommandMonitor {
  private counted = 0;
  private markers = 0;
  private wake: () => void = () => undefined;
  private pending = '';

  private constructor(
    private readonly socket: Socket,
    private readonly client: Redis,
    private readonly keyPrefix: string,
  ) {}

  static async start(redisUrl: string, keyPrefix: string): Promise<RedisCommandMonitor> {
    const url = new URL(redisUrl);
    const socket = connect({ host: url.hostname || '127.0.0.1', port: Number(url.port || 6379) });
    await once(socket, 'connect');
    const counter = new RedisCommandMonitor(socket, new Redis(redisUrl), keyPrefix);
    await counter.begin(url);
    return counter;
  }

  get commands(): number {
    return this.counted;
  }

  reset(): void {
    this.counted = 0;
  }

  async settle(timeoutMs = 30_000): Promise<void> {
    const target = this.markers + 1;
    const seen = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('MONITOR did not show the marker command')), timeoutMs);
      this.wake = () => {
        if (this.markers < target) return;
        clearTimeout(timer);
        resolve();
      };
    });
    await this.client.exists(this.markerKey);
    await seen;
  }

  async stop(): Promise<void> {
    this.socket.destroy();
    await this.client.quit();
  }

  private get markerKey(): string {
    return `${this.keyPrefix}__monitor-marker__`;
  }

  /** Sends AUTH (when the URL has a password) and MONITOR; settles on MONITOR's +OK. */
  private begin(url: URL): Promise<void> {
    const commands: string[][] = [];
    if (url.password)
      commands.push(
        url.username
          ? ['AUTH', decodeURIComponent(url.username), decodeURIComponent(url.password)]
          : ['AUTH', decodeURIComponent(url.password)],
      );
    commands.push(['MONITOR']);
    let replies = commands.length;
    return new Promise((resolve, reject) => {
      this.socket.on('error', reject);
      this.socket.on('data', (chunk: Buffer) => {
        this.pending += chunk.toString('latin1');
        let end: number;
        while ((end = this.pending.indexOf('\r\n')) >= 0) {
          const line = this.pending.slice(0, end);
          this.pending = this.pending.slice(end + 2);
          if (line.startsWith('-')) reject(new Error(`MONITOR refused: ${line.slice(1)}`));
          else if (replies > 0) {
            replies -= 1;
            if (replies === 0) resolve();
          } else this.observe(monitoredArgs(line));
        }
      });
      this.socket.write(commands.map(encodeCommand).join(''));
    });
  }

  private observe(args: string[]): void {
    const keys = args.slice(1);
    if (keys.includes(this.markerKey)) {
      this.markers += 1;
      this.wake();
      return;
    }
    if (keys.some((arg) => arg.startsWith(this.keyPrefix))) this.counted += 1;
  }
}

function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg, 'latin1')}\r\n${arg}\r\n`).join('')}`;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', '"': '"', '\\': '\\' };

/** `+1796621787.432365 [0 127.0.0.1:47846] "set" "key" "value"` → ['set', 'key', 'value']. */
function monitoredArgs(line: string): string[] {
  const args: string[] = [];
  let index = line.indexOf('] ') + 2;
  while (index > 1 && index < line.length) {
    if (line[index] !== '"') {
      index += 1;
      continue;
    }
    let arg = '';
    for (index += 1; index < line.length && line[index] !== '"'; index += 1) {
      if (line[index] !== '\\') arg += line[index];
      else if (line[index + 1] === 'x') {
        arg += String.fromCharCode(parseInt(line.slice(index + 2, index + 4), 16));
        index += 3;
      } else {
        arg += ESCAPES[line[index + 1]!] ?? line[index + 1];
        index += 1;
      }
    }
    args.push(arg);
    index += 1;
  }
  return args;
}
