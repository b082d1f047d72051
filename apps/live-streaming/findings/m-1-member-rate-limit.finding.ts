import { RedisRateLimiter } from '@remedy/http';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  NoRateLimiter,
  NoRetryAfterRateLimiter,
  PerInstanceRateLimiter,
} from '../katas/m-1-per-instance-rate-limit.flawed.js';
import { ApiClient } from './support/api-client.js';
import { startTestApp } from './support/start-test-app.js';

const LIMIT = 20;
const WINDOW_SECONDS = 60;
const REQUESTS = 50;

type Run = 'flawed' | 'remediated' | 'no limit' | 'no Retry-After';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: RedisRateLimiter, useClass: PerInstanceRateLimiter }],
  remediated: [],
  'no limit': [{ provide: RedisRateLimiter, useClass: NoRateLimiter }],
  'no Retry-After': [{ provide: RedisRateLimiter, useClass: NoRetryAfterRateLimiter }],
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  // Two API instances on the same database and Redis, as behind a load balancer, with a small limit.
  const limits = { RATE_LIMIT_REQUESTS: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS) };
  const [instanceA, instanceB] = [
    await startTestApp(ctx, limits, { plugs: PLUGS[run] }),
    await startTestApp(ctx, limits, { plugs: PLUGS[run] }),
  ];
  try {
    const clients = [instanceA, instanceB].map((instance) => new ApiClient(instance.url));
    const member = await clients[0]!.signup('m1_member@example.com');

    // One member's requests, alternating instances, well inside one window.
    let accepted = 0;
    let refused = 0;
    let refusedWithoutWait = 0;
    for (let request = 0; request < REQUESTS; request += 1) {
      const instance = request % 2 === 0 ? instanceA : instanceB;
      const response = await fetch(`${instance.url}/me`, {
        headers: { authorization: `Bearer ${member.accessToken}` },
      });
      await response.arrayBuffer();
      if (response.status === 200) accepted += 1;
      else if (response.status === 429) {
        refused += 1;
        const wait = Number(response.headers.get('retry-after'));
        if (!Number.isInteger(wait) || wait < 1 || wait > WINDOW_SECONDS) refusedWithoutWait += 1;
      } else throw new Error(`${run}: GET /me answered ${response.status}`);
    }
    ctx.log(
      `${run}: ${accepted} of ${REQUESTS} accepted (limit ${LIMIT}), ${refused} × 429, ${refusedWithoutWait} without Retry-After`,
    );
    return {
      value: accepted + refusedWithoutWait,
      details: {
        'limit per member per window': `${LIMIT} / ${WINDOW_SECONDS} s`,
        'requests (alternating two instances)': REQUESTS,
        accepted,
        '429 answers': refused,
        '429 without a usable Retry-After': refusedWithoutWait,
      },
    };
  } finally {
    await instanceA.close();
    await instanceB.close();
  }
}

export default defineFinding({
  id: 'livestream:M1',
  title: 'No API rate limiting',
  explanation:
    'The design set no request limits, so one member (or a stolen token in a script) could use as much of the API as ' +
    'it liked. The remedy counts every authenticated request against its member in the queue Redis, one atomic ' +
    'script per request shared by every instance (RedisRateLimiter in libs/http): past the limit (100 a minute by ' +
    'default) the answer is 429 with Retry-After, the seconds until the window ends. Measured through HTTP on two ' +
    'instances of the real app with a limit of 20 per 60 s: one member sends 50 GET /me alternating between them; the ' +
    'value adds the accepted requests and the refusals that did not say when to retry. An in-memory limiter per ' +
    'instance lets twice the limit through.',
  fix: [
    'src/rate-limit/member-rate-limit.interceptor.ts',
    'src/rate-limit/api-rate-limiter.provider.ts',
    '../../libs/http/src/redis-rate-limiter.ts',
  ],
  difficulty: 2,
  hints: [
    'Send more requests than the limit as one member, spread over two instances: how many get through?',
    'A count kept in each process is a limit per process, not per member.',
    'Count in the Redis every instance shares, in one atomic step, and tell the refused client when to come back.',
    'The technique: a fixed-window counter per member in Redis (INCR + PEXPIRE in one Lua script), 429 with Retry-After.',
  ],
  seam: 'RedisRateLimiter (Nest provider under MemberRateLimitInterceptor) ← katas/m-1-per-instance-rate-limit.flawed.ts PerInstanceRateLimiter',
  flawsPutBack: {
    'no limit': 'RedisRateLimiter ← NoRateLimiter: the design as reviewed, every request accepted',
    'no Retry-After':
      'RedisRateLimiter ← NoRetryAfterRateLimiter: the shared count, but refusals carry no Retry-After',
  },
  metric: {
    name: `requests accepted of ${REQUESTS} (limit ${LIMIT}) + 429s without Retry-After`,
    unit: 'requests',
    better: 'lower',
  },
  measure,
  flawed: (requests) => requests >= 2 * LIMIT,
  remediated: (requests) => requests === LIMIT,
});
