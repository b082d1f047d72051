import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { compileWithPlugs, type IsolatedContext, type ProviderPlug } from '@remedy/testing';
import { AppModule } from '../../src/app.module.js';
import { configureApp, createHttpAdapter } from '../../src/app.setup.js';
import { buildConfig, type AppConfig, type ConfigValues } from '../../src/config.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** http://127.0.0.1:<port> */
  url: string;
  /** ws://127.0.0.1:<port> (append /ingest or /live) */
  wsUrl: string;
  close(): Promise<void>;
}

type ContextLike = Pick<IsolatedContext, 'databaseUrl' | 'redisUrl' | 'prefix'>;

/** The config a test instance runs with: the context's database, Redis and key prefix, quiet logs, then `overrides`. */
export function testConfig(ctx: ContextLike, overrides: ConfigValues = {}): AppConfig {
  return buildConfig({
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    REDIS_KEY_PREFIX: ctx.prefix,
    LOG_LEVEL: 'error',
    ALERT_BLOCK_MS: '100',
    ...overrides,
  });
}

/**
 * Boots the real API (AppModule on Fastify with the WsAdapter, the same pipes and filters as main.ts) on
 * 127.0.0.1 and a free port (or `overrides.PORT`, to restart an instance where its clients expect it), with
 * `plugs` in place of the providers they name (a proof's seam). Call it twice on one context for two
 * instances sharing the database and Redis.
 */
export async function startTestApp(
  ctx: ContextLike,
  overrides: ConfigValues = {},
  plugs: readonly ProviderPlug[] = [],
): Promise<TestApp> {
  const config = testConfig(ctx, overrides);
  const module = await compileWithPlugs(AppModule.forRoot(config), plugs);
  const app = module.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { bufferLogs: true });
  configureApp(app);
  await app.listen({ port: overrides.PORT === undefined ? 0 : config.port, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('the test app has no TCP address');
  const base = `127.0.0.1:${address.port}`;
  return {
    app,
    config,
    url: `http://${base}`,
    wsUrl: `ws://${base}`,
    close: () => app.close(),
  };
}
