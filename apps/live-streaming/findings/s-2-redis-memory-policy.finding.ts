import { readFileSync } from 'node:fs';
import {
  defineFinding,
  RestartableRedisServer,
  type FindingContext,
  type Measurement,
} from '@remedy/testing';
import { Redis } from 'ioredis';
import {
  SINGLE_REDIS_WITHOUT_POLICY,
  type RedisDeployment,
} from '../katas/s-2-single-redis-without-policy.flawed.js';
import { profileCacheKeys } from '../src/profiles/profile.cache.js';
import { ApiClient, TEST_PASSWORD } from './support/api-client.js';
import { seedMembers } from './support/seed-followers.js';
import { startTestApp } from './support/start-test-app.js';

const PROFILES = 20;
const LOGINS = 5;
/** Small on purpose: the fill takes a fraction of a second. */
const MAXMEMORY = '8mb';
const FILLER_BYTES = 1_024;
/** Past this many filler keys the instance is certainly over maxmemory (8 MB / 1 KB ≈ 8,000). */
const MAX_FILLER_KEYS = 40_000;

/** The policy a shipped config file (infra/redis/*.conf, what docker-compose mounts) gives its server. */
function shippedPolicy(file: 'cache.conf' | 'queue.conf'): string {
  const text = readFileSync(new URL(`../../../infra/redis/${file}`, import.meta.url), 'utf8');
  const policy = /^maxmemory-policy\s+(\S+)/m.exec(text)?.[1];
  if (policy === undefined) throw new Error(`infra/redis/${file} sets no maxmemory-policy`);
  return policy;
}

type Run = 'flawed' | 'remediated' | 'cache instance without eviction';

function deploymentFor(run: Run): RedisDeployment {
  switch (run) {
    case 'flawed':
      return SINGLE_REDIS_WITHOUT_POLICY;
    case 'remediated':
      return { cachePolicy: shippedPolicy('cache.conf'), queuePolicy: shippedPolicy('queue.conf') };
    case 'cache instance without eviction':
      return { cachePolicy: 'noeviction', queuePolicy: shippedPolicy('queue.conf') };
  }
}

async function startRedis(policy: string): Promise<RestartableRedisServer> {
  const server = await RestartableRedisServer.start({ maxmemoryPolicy: policy });
  const admin = new Redis(server.url);
  try {
    await admin.config('SET', 'maxmemory', MAXMEMORY);
  } finally {
    await admin.quit();
  }
  return server;
}

/**
 * What a growing cache does to the instance: 1 KB entries with a TTL under the app's key prefix until Redis
 * either refuses a write (noeviction: full) or starts evicting (full, and making room).
 */
async function fillCache(redis: Redis, prefix: string): Promise<{ keys: number; outcome: string }> {
  const value = 'x'.repeat(FILLER_BYTES);
  for (let written = 0; written < MAX_FILLER_KEYS; written += 100) {
    const batch = redis.pipeline();
    for (let i = written; i < written + 100; i += 1) batch.set(`${prefix}filler:${i}`, value, 'EX', 3_600);
    const results = (await batch.exec()) ?? [];
    const refused = results.find(([error]) => error !== null)?.[0];
    if (refused) return { keys: written, outcome: `refused: ${refused.message.split('\n')[0]}` };
    const evicted = Number(/^evicted_keys:(\d+)/m.exec(await redis.info('stats'))?.[1] ?? 0);
    if (evicted > 0) return { keys: written + 100, outcome: `evicting (${evicted} keys evicted)` };
  }
  throw new Error(`${MAX_FILLER_KEYS} KB written and Redis neither refused nor evicted: is maxmemory set?`);
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const deployment = deploymentFor(run);
  const cacheServer = await startRedis(deployment.cachePolicy);
  const queueServer =
    deployment.queuePolicy === undefined ? cacheServer : await startRedis(deployment.queuePolicy);
  const testApp = await startTestApp(ctx, {
    REDIS_URL: cacheServer.url,
    QUEUE_REDIS_URL: queueServer.url,
    // Refused cache fills are this measurement's point, not news for the test log.
    LOG_LEVEL: 'fatal',
  });
  const cache = new Redis(cacheServer.url);
  try {
    const api = new ApiClient(testApp.url);
    const viewer = await api.signup('s2_viewer@example.com');
    const streamerIds = await seedMembers(ctx.pool, PROFILES, 's2_streamer_');

    const fill = await fillCache(cache, testApp.config.redis.keyPrefix);

    // Each first read of a profile is a cache fill; the entry must be in the cache Redis afterwards. A read the
    // app could not answer (its per-member request counter lives on the queue Redis) counts as refused too.
    let refusedFills = 0;
    const readErrors = new Set<string>();
    for (const streamerId of streamerIds) {
      const read = await api.call('GET', `/users/${streamerId}/profile`, undefined, viewer.accessToken);
      const stored = await cache.exists(
        `${testApp.config.redis.keyPrefix}${profileCacheKeys(streamerId).entry}`,
      );
      if (read.status !== 200) readErrors.add(`${read.status}`);
      if (read.status !== 200 || stored === 0) refusedFills += 1;
    }
    // Every login writes its admission slot (login lockouts) to the queue Redis.
    let failedLogins = 0;
    const loginErrors = new Set<string>();
    for (let i = 0; i < LOGINS; i += 1) {
      const login = await api.call('POST', '/auth/login', {
        email: 's2_viewer@example.com',
        password: TEST_PASSWORD,
      });
      if (login.status !== 200) {
        failedLogins += 1;
        loginErrors.add(`${login.status}`);
      }
    }
    ctx.log(
      `${run}: cache ${deployment.cachePolicy}, queue ${deployment.queuePolicy ?? 'same server'}; fill ${fill.outcome} after ` +
        `${fill.keys} keys; ${refusedFills}/${PROFILES} cache fills refused, ${failedLogins}/${LOGINS} logins failed`,
    );
    return {
      value: refusedFills + failedLogins,
      details: {
        'cache Redis maxmemory-policy': deployment.cachePolicy,
        'queue Redis maxmemory-policy': deployment.queuePolicy ?? 'the same server as the cache',
        maxmemory: MAXMEMORY,
        'cache filled with 1 KB entries': `${fill.keys} keys, then ${fill.outcome}`,
        [`profile reads unanswered or cache fills refused (of ${PROFILES})`]: refusedFills,
        'profile read failure statuses': [...readErrors].join(', ') || 'none',
        [`logins failed (of ${LOGINS})`]: failedLogins,
        'login failure statuses': [...loginErrors].join(', ') || 'none',
      },
    };
  } finally {
    await cache.quit();
    await testApp.close();
    await cacheServer.stop();
    if (queueServer !== cacheServer) await queueServer.stop();
  }
}

export default defineFinding({
  id: 'livestream:S2',
  title: 'One Redis for everything, with no memory policy',
  explanation:
    'The design keeps cache, sessions, chat and job queues in one Redis with no memory policy. Under the default ' +
    '(noeviction) a full instance refuses every write with OOM, so a growing cache breaks logins and queues; an ' +
    'evicting policy on that one instance would instead drop jobs and lockouts in silence. The remedy splits Redis ' +
    'by use: REDIS_URL is the cache (infra/redis/cache.conf: maxmemory + allkeys-lru, entries carry TTLs), ' +
    'QUEUE_REDIS_URL holds login lockouts and BullMQ (infra/redis/queue.conf: noeviction, append-only file), and the ' +
    'app refuses to start when QUEUE_REDIS_URL names an evicting Redis. Each run starts its own redis-server processes ' +
    '(maxmemory 8 MB) with the policies of the run, fills the cache instance with 1 KB entries until Redis refuses ' +
    'or evicts, then reads 20 profiles through HTTP (each a cache fill, checked in Redis) and logs in 5 times (each ' +
    'writes to the queue Redis). The value counts profile reads that failed or whose cache fill was refused, plus failed logins.',
  fix: [
    '../../infra/redis/cache.conf',
    '../../infra/redis/queue.conf',
    'src/config.ts',
    '../../libs/pooling/src/nest/redis-clients.module.ts',
  ],
  difficulty: 1,
  hints: [
    'What does Redis do by default when it reaches maxmemory? Which of the keys it holds could be thrown away?',
    'Cache entries can be rebuilt; queued jobs and lockouts cannot. Can one policy suit both?',
    'Two Redis instances: one that evicts least-recently-used keys for the cache, one that never evicts for queues.',
    'The technique: Redis split by use, allkeys-lru with maxmemory for the cache, noeviction for queues, checked at start-up.',
  ],
  seam:
    "the Redis deployment (REDIS_URL / QUEUE_REDIS_URL and each server's maxmemory-policy) ← " +
    'katas/s-2-single-redis-without-policy.flawed.ts SINGLE_REDIS_WITHOUT_POLICY',
  flawsPutBack: {
    'cache instance without eviction':
      'split, but the cache Redis runs noeviction: a full cache refuses fills instead of making room',
  },
  metric: {
    name: `profile reads failed or cache fills refused (of ${PROFILES}) + failed logins (of ${LOGINS}) with the cache Redis full`,
    unit: 'writes',
    better: 'lower',
  },
  measure,
  flawed: (failures) => failures >= PROFILES,
  remediated: (failures) => failures === 0,
  timeoutMs: 60_000,
});
