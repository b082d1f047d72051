import { spawn, spawnSync } from 'node:child_process';
import { dockerEngineAvailable } from './docker-engine.js';
import { freePort } from './free-port.js';
import type { RunningServer } from './postgres-server.js';
import { redisAnswers } from './probe.js';
import { LOOPBACK_REDIS_URL } from '../testing-env.js';

// A server this process did not start is not this process's to stop.
const alreadyRunning = (): Promise<void> => Promise.resolve();

export const REDIS_HELP =
  'No Redis answered. Set REDIS_URL, start one on 127.0.0.1:6379 ' +
  '(Debian: apt-get install redis-server), or run `docker compose up -d redis`.';

/** REDIS_URL, then the loopback server, then `redis-server` from PATH, then a testcontainer (DESIGN §4). */
export async function ensureRedis(options: {
  envUrl?: string | undefined;
  loopbackUrl?: string;
}): Promise<RunningServer> {
  if (options.envUrl) {
    if (await redisAnswers(options.envUrl))
      return { url: options.envUrl, source: 'env', stop: alreadyRunning };
    throw new Error(`REDIS_URL is set but Redis does not answer at ${options.envUrl}. ${REDIS_HELP}`);
  }
  const loopbackUrl = options.loopbackUrl ?? LOOPBACK_REDIS_URL;
  if (await redisAnswers(loopbackUrl)) return { url: loopbackUrl, source: 'loopback', stop: alreadyRunning };
  if (redisServerOnPath()) return spawnRedisServer();
  if (await dockerEngineAvailable()) return startRedisContainer();
  throw new Error(REDIS_HELP);
}

function redisServerOnPath(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function spawnRedisServer(): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await redisAnswers(url, 200)) {
      return {
        url,
        source: 'spawned',
        stop: async () => {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server was started on port ${port} but never answered. ${REDIS_HELP}`);
}

async function startRedisContainer(): Promise<RunningServer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('redis:7')
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .start();
  return {
    url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
    source: 'container',
    stop: async () => {
      await container.stop();
    },
  };
}
