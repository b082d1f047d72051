import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { compileWithPlugs, RestartableRedisServer, useTestContext } from '@remedy/testing';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { testConfig } from '../findings/support/test-config.js';
import { AppModule } from '../src/app.module.js';
import { configureHttpApp, createHttpAdapter } from '../src/http/configure-http-app.js';

const ctx = useTestContext(liveStreamingHarness);

/** Boots the app with QUEUE_REDIS_URL at `queueUrl`; the error start-up failed with, or undefined. */
async function startupError(queueUrl: string): Promise<Error | undefined> {
  const module = await compileWithPlugs(AppModule.forRoot(testConfig(ctx, { QUEUE_REDIS_URL: queueUrl })));
  const app = module.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { bufferLogs: true });
  // Set up as main.ts does (the chat gateway needs its WebSocket adapter before init).
  configureHttpApp(app);
  try {
    await app.init();
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    await app.close();
  }
}

// livestream:S2: queued jobs and login lockouts must not be evicted, so the app refuses an evicting queue Redis.
describe('the queue Redis must not evict', () => {
  let evicting: RestartableRedisServer;
  let noeviction: RestartableRedisServer;

  beforeAll(async () => {
    [evicting, noeviction] = await Promise.all([
      RestartableRedisServer.start({ maxmemoryPolicy: 'allkeys-lru' }),
      RestartableRedisServer.start({ maxmemoryPolicy: 'noeviction' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([evicting.stop(), noeviction.stop()]);
  });

  it('refuses to start when QUEUE_REDIS_URL names an allkeys-lru Redis, and says why', async () => {
    const error = await startupError(evicting.url);
    expect(error?.message).toMatch(/QUEUE_REDIS_URL has maxmemory-policy=allkeys-lru.*noeviction/);
  });

  it('starts on a noeviction queue Redis', async () => {
    expect(await startupError(noeviction.url)).toBeUndefined();
  });
});
