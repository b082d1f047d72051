import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';
import { redisAnswers } from './probe.js';

export interface RestartableRedisOptions {
  /** Default noeviction, what a queue Redis must run with. */
  maxmemoryPolicy?: string;
}

/**
 * A redis-server of the test's own, without persistence (`--save "" --appendonly no`), so a restart loses
 * every key: what a queue Redis without AOF does after a crash. Not the shared server: tests may kill it.
 */
export class RestartableRedisServer {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly options: RestartableRedisOptions,
  ) {}

  static async start(options: RestartableRedisOptions = {}): Promise<RestartableRedisServer> {
    const server = new RestartableRedisServer(await freePort(), options);
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** SIGKILL, then a fresh process on the same port: every key is gone, clients reconnect. */
  async restart(): Promise<void> {
    await this.stop('SIGKILL');
    await this.launch();
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }

  private async launch(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port', String(this.port),
        '--bind', '127.0.0.1',
        '--save', '',
        '--appendonly', 'no',
        '--maxmemory-policy', this.options.maxmemoryPolicy ?? 'noeviction',
      ],
      { stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await redisAnswers(this.url, 200)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.child.kill('SIGKILL');
    throw new Error(`redis-server on port ${this.port} never answered`);
  }
}
