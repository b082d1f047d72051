import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { DynamicModule } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { RestartableRedisServer, useTestContext } from '@remedy/testing';
import { Redis, type RedisOptions } from 'ioredis';
import suite from '../findings/index.js';
import {
  assertQueueRedisDoesNotEvict,
  QUEUE_CONNECTION,
  QUEUE_REDIS,
  REDIS_CLIENTS,
  RedisClientsModule,
  type RedisClients,
} from '../src/index.js';

const ctx = useTestContext(suite);
let evicting: RestartableRedisServer;
let queueServer: RestartableRedisServer;

beforeAll(async () => {
  [evicting, queueServer] = await Promise.all([
    RestartableRedisServer.start({ maxmemoryPolicy: 'allkeys-lru' }),
    RestartableRedisServer.start({ maxmemoryPolicy: 'noeviction' }),
  ]);
});

afterAll(async () => {
  await Promise.all([evicting.stop(), queueServer.stop()]);
});

describe('assertQueueRedisDoesNotEvict', () => {
  test('refuses a Redis that evicts, naming the setting and the fix; accepts noeviction', async () => {
    const client = new Redis(evicting.url);
    const safe = new Redis(ctx.redisUrl);
    try {
      await expect(assertQueueRedisDoesNotEvict(client)).rejects.toThrow(
        /maxmemory-policy=allkeys-lru.*noeviction.*appendonly yes/s,
      );
      await expect(assertQueueRedisDoesNotEvict(safe)).resolves.toBeUndefined();
    } finally {
      client.disconnect();
      safe.disconnect();
    }
  });
});

/** `module` alone, compiled; `init()` runs its bootstrap hooks, `close()` its shutdown hooks. */
function compile(module: DynamicModule): Promise<TestingModule> {
  return Test.createTestingModule({ imports: [module] }).compile();
}

describe('RedisClientsModule', () => {
  const config = (queueUrl: string) => ({
    serviceName: `pooling-module-${process.pid}`,
    redis: { url: ctx.redisUrl, queueUrl, keyPrefix: `${ctx.prefix}:` },
  });

  test('refuses to start on an evicting queue Redis, naming QUEUE_REDIS_URL', async () => {
    const app = await compile(RedisClientsModule.forRoot(config(evicting.url)));
    try {
      await expect(app.init()).rejects.toThrow(/QUEUE_REDIS_URL has maxmemory-policy=allkeys-lru/);
    } finally {
      await app.close();
    }
  });

  test('splits the clients by use, and closes them all when the app shuts down', async () => {
    const app = await (await compile(RedisClientsModule.forRoot(config(queueServer.url)))).init();
    const clients = app.get<RedisClients>(REDIS_CLIENTS);
    const queueRedis = app.get<Redis>(QUEUE_REDIS);
    await clients.cache.set('module-cache', 'cached');
    await queueRedis.set('module-lockout', 'kept');
    const queueServerClient = new Redis(queueServer.url);
    try {
      expect(await ctx.redis.get(ctx.key('module-cache'))).toBe('cached');
      expect(await queueServerClient.get(ctx.key('module-lockout'))).toBe('kept');
      expect(await ctx.redis.get(ctx.key('module-lockout'))).toBeNull();
    } finally {
      queueServerClient.disconnect();
    }
    expect(queueRedis).toBe(clients.queueState);
    expect(app.get<RedisOptions>(QUEUE_CONNECTION)).toMatchObject({
      port: Number(new URL(queueServer.url).port),
    });
    await app.close();
    expect([clients.cache, clients.queueState].map((client) => client.status)).toEqual(['end', 'end']);
  });
});
