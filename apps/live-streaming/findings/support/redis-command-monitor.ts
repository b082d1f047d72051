import { Redis } from 'ioredis';

/**
 * Counts the commands the Redis server runs on keys that start with `keyPrefix`, from any client, as MONITOR
 * reports them: what the server did, not what a client meant to send. Other tests share the server, so only
 * the prefix's keys count. `settle()` runs a marker command on the prefix and waits until MONITOR has shown
 * it: every command before it has been counted.
 */
export class RedisCommandMonitor {
  private counted = 0;
  private markers = 0;
  private wake: () => void = () => undefined;

  private constructor(
    private readonly connection: Redis,
    private readonly client: Redis,
    private readonly keyPrefix: string,
  ) {}

  static async start(redisUrl: string, keyPrefix: string): Promise<RedisCommandMonitor> {
    const connection = new Redis(redisUrl, { lazyConnect: true });
    const client = new Redis(redisUrl);
    const monitor = await connection.monitor();
    const counter = new RedisCommandMonitor(monitor, client, keyPrefix);
    monitor.on('monitor', (_time: string, args: string[]) => counter.observe(args));
    return counter;
  }

  get commands(): number {
    return this.counted;
  }

  reset(): void {
    this.counted = 0;
  }

  async settle(timeoutMs = 10_000): Promise<void> {
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
    this.connection.disconnect();
    await this.client.quit();
  }

  private get markerKey(): string {
    return `${this.keyPrefix}__monitor-marker__`;
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
