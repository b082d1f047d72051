import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from '@remedy/observability';
import { compileWithPlugs, type ProviderPlug } from '@remedy/testing';
import { AppModule } from '../../src/app.module.js';
import type { AppConfig, ConfigValues } from '../../src/config.js';
import { configureHttpApp, createHttpAdapter } from '../../src/http/configure-http-app.js';
import { testConfig, type TestServices } from './test-config.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  config: AppConfig;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Providers replaced for this run: the seam a proof plugs the review's design into. */
  plugs?: readonly ProviderPlug[];
  /** Where the app's JSON log lines go (stdout when unset): a proof reads them from here. */
  logDestination?: DestinationStream;
}

/**
 * Boots the real AppModule on Fastify, configured like main.ts (same HTTP edge adapter, module providers, Swagger), on the
 * context's database and Redis prefix, listening on 127.0.0.1 on a free port (or the `PORT` override).
 */
export async function startTestApp(
  ctx: TestServices,
  overrides: ConfigValues = {},
  { plugs = [], logDestination }: TestAppOptions = {},
): Promise<TestApp> {
  const config = testConfig(ctx, overrides);
  const module = await compileWithPlugs(
    AppModule.forRoot(config, logDestination === undefined ? {} : { logDestination }),
    plugs,
  );
  const app = module.createNestApplication<NestFastifyApplication>(createHttpAdapter(), {
    bufferLogs: true,
  });
  configureHttpApp(app);
  // PORT 0 (the test default) takes a free port; a test restarting an instance passes the port it had.
  await app.listen(config.http.port, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('test app is not listening on TCP');
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    config,
    close: () => app.close(),
  };
}
