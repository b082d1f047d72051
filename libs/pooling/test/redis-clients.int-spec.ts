import { Redis } from 'ioredis';
import { useTestContext } from '@remedy/testing';
import suite from '../findings/index.js';
import { createRedisClients, type RedisClientUse, type RedisClients } from '../src/index.js';

const ctx = useTestContext(suite);

describe('createRedisClients', () => {
  let clients: RedisClients;
  let name: string;

  beforeAll(() => {
    name = `pooling-${process.pid}`;
    clients = createRedisClients({
      url: ctx.redisUrl,
      name,
      keyPrefix: `${ctx.prefix}:`,
      // Generous: these clients' commands must not fail on a loaded machine; the timeout has its own test.
      commandTimeoutMs: 5_000,
    });
  });
  afterAll(() => clients.close());

  test('the cache client prefixes keys', async () => {
    await clients.cache.set('greeting', 'hello');
    expect(await ctx.redis.get(ctx.key('greeting'))).toBe('hello');
  });

  test('the cache client gives up on a command after commandTimeoutMs', async () => {
    const short = createRedisClients({ url: ctx.redisUrl, name: `${name}-short`, commandTimeoutMs: 150 });
    try {
      // BLPOP with no timeout blocks server-side until the connection closes: only the client's timer can end it.
      await expect(short.cache.blpop(ctx.key('never-filled'), 0)).rejects.toThrow(/timed out/i);
    } finally {
      await short.close();
    }
  });

  test('while Redis is unreachable, cache commands fail instead of queueing without bound', async () => {
    // Port 1 refuses connections: the client keeps reconnecting and must not hold commands meanwhile.
    const unreachable = createRedisClients({
      url: 'redis://127.0.0.1:1',
      name: `${name}-unreachable`,
      commandTimeoutMs: 200,
    });
    unreachable.cache.on('error', () => undefined);
    try {
      await expect(unreachable.cache.get('anything')).rejects.toThrow();
    } finally {
      await unreachable.close();
    }
  });

  test('publisher and subscriber are separate connections that carry messages', async () => {
    const channel = ctx.key('announcements');
    const received = new Promise<string>((resolve) => {
      clients.subscriber.on('message', (from: string, message: string) => {
        if (from === channel) resolve(message);
      });
    });
    await clients.subscriber.subscribe(channel);
    await clients.publisher.publish(channel, 'doors open');
    expect(await received).toBe('doors open');

    const list = await ctx.redis.client('LIST');
    for (const use of ['cache', 'publisher', 'subscriber']) expect(list).toContain(`name=${name}:${use} `);
  });

  test('queueConnection is safe for BullMQ: unlimited retries, no ready check, no key prefix', async () => {
    expect(clients.queueConnection).toMatchObject({
      maxRetriesPerRequest: null,
      enableReadyCheck: false,
    });
    expect(clients.queueConnection.keyPrefix).toBeUndefined();

    const queueClient = new Redis(clients.queueConnection);
    try {
      expect(await queueClient.ping()).toBe('PONG');
    } finally {
      await queueClient.quit();
    }
  });

  test('queueState is a prefixed command client on the queue Redis', async () => {
    await clients.queueState.set('mail-sent', '1');
    expect(await ctx.redis.get(ctx.key('mail-sent'))).toBe('1');
    expect(await ctx.redis.client('LIST')).toContain(`name=${name}:queue-state `);
  });

  test('a separate queueUrl takes BullMQ and queue state there, and onError hears its failures', async () => {
    const errors: RedisClientUse[] = [];
    const split = createRedisClients({
      url: ctx.redisUrl,
      // Port 1 refuses connections: a queue Redis that is down while the cache is up.
      queueUrl: 'redis://127.0.0.1:1',
      name: `${name}-split`,
      onError: (use) => errors.push(use),
    });
    try {
      expect(split.queueConnection).toMatchObject({ host: '127.0.0.1', port: 1 });
      expect(await split.cache.ping()).toBe('PONG');
      await expect(split.queueState.connect()).rejects.toThrow();
      expect(errors).toContain('queue state');
      expect(errors).not.toContain('cache');
    } finally {
      await split.close();
    }
  });

  test('close() ends every client, connected or not', async () => {
    const unused = createRedisClients({
      url: ctx.redisUrl,
      name: `${name}-unused`,
    });
    await unused.cache.ping();
    await unused.close();
    expect([
      unused.cache.status,
      unused.publisher.status,
      unused.subscriber.status,
      unused.queueState.status,
    ]).toEqual(['end', 'end', 'end', 'end']);
  });
});
