import { createInterface } from 'node:readline';
import type { ProviderPlug } from '@remedy/testing';
import { RetryingProviderTranslator } from '../../katas/c-2-unbounded-retries.flawed.js';
import { oneServerBroadcastPlugs } from '../../katas/s-1-one-server-broadcast.flawed.js';
import { entriesKeptOnDrainPlug, inProcessRegistryPlug } from '../../katas/s-2-in-process-registry.flawed.js';
import { APP_CONFIG } from '../../src/app-config.module.js';
import type { AppConfig } from '../../src/config.js';
import { ProviderConnections } from '../../src/translation/providers/provider-connections.js';
import { ProviderTranslator } from '../../src/translation/providers/provider-translator.js';
import { startTestApp } from './start-test-app.js';

/** Input of the child, as JSON in argv[2]. */
export interface ChatInstanceJob {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  overrides: Record<string, string>;
  /** Which connection registry the instance runs: the real one, or a kata plugged in at its token. */
  registry: 'redis' | 'in-process' | 'entries kept on drain';
  /** How room messages reach sockets: Redis pub/sub (the default), or polyglot-a:S-1's kata, each process its own loop. */
  broadcast?: 'pub/sub' | 'one-server loop';
  /**
   * What calls the translation engines: the service's guarded translator (the default: shared quota budget,
   * breaker, fallback), or polyglot-a:C-2's kata at the same seam, retrying each failure three times.
   */
  translator?: 'guarded' | 'unbounded retries';
}

/** What the child prints as one stdout line once it listens. */
export interface ChatInstanceAddress {
  url: string;
}

const REGISTRIES: Record<ChatInstanceJob['registry'], ProviderPlug[]> = {
  redis: [],
  'in-process': [inProcessRegistryPlug],
  'entries kept on drain': [entriesKeptOnDrainPlug],
};

const TRANSLATORS: Record<NonNullable<ChatInstanceJob['translator']>, ProviderPlug[]> = {
  guarded: [],
  'unbounded retries': [
    {
      provide: ProviderTranslator,
      inject: [APP_CONFIG, ProviderConnections],
      useFactory: (config: AppConfig, connections: ProviderConnections) =>
        new RetryingProviderTranslator(config.providers, connections),
    },
  ],
};

/**
 * One API instance in its own Node process, sharing only PostgreSQL and Redis with its siblings. It prints its
 * address, then runs until SIGTERM (a deploy's stop: the graceful drain) or its stdin closes.
 */
async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as ChatInstanceJob;
  const plugs = [
    ...REGISTRIES[job.registry],
    ...(job.broadcast === 'one-server loop' ? oneServerBroadcastPlugs() : []),
    ...TRANSLATORS[job.translator ?? 'guarded'],
  ];
  const app = await startTestApp(job, job.overrides, { plugs });
  process.stdout.write(`${JSON.stringify({ url: app.url } satisfies ChatInstanceAddress)}\n`);
  const stdin = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => {
    stdin.once('close', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
