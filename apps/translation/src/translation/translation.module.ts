import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import { QUEUE_REDIS, REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { APP_CONFIG } from '../app-config.module.js';
import { PairGlossariesModule } from '../glossaries/pair-glossaries.module.js';
import { HistoryModule } from '../history/history.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import type { AppConfig } from '../config.js';
import { MicroBatchingProviderBatcher } from './batching/micro-batching-provider-batcher.js';
import { ProviderBatcher } from './batching/provider-batcher.js';
import { RedisTranslationCache } from './cache/redis-translation-cache.js';
import { TranslationCache } from './cache/translation-cache.js';
import { PrometheusTranslationMetrics } from './metrics/prometheus-translation-metrics.js';
import { TranslationMetrics } from './metrics/translation-metrics.js';
import { buildProviderTranslator } from './providers/build-provider-translator.js';
import { GuardedProviderTranslator } from './providers/guarded-provider-translator.js';
import { KeepAliveProviderConnections, ProviderConnections } from './providers/provider-connections.js';
import { ProviderTranslator } from './providers/provider-translator.js';
import { TranslationsController } from './translations.controller.js';
import { Translator } from './translator.service.js';

/** Closes the engines' breakers and connection pools with the application. */
class ProvidersShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(ProviderTranslator) private readonly translator: ProviderTranslator,
    @Inject(ProviderConnections) private readonly connections: ProviderConnections,
    @Inject(ProviderBatcher) private readonly batcher: ProviderBatcher,
  ) {}

  onApplicationShutdown(): void {
    this.batcher.close();
    if (this.translator instanceof GuardedProviderTranslator) this.translator.shutdown();
    this.connections.close();
  }
}

/**
 * Machine translation: Google v3 primary and DeepL v2 fallback over keep-alive pools, each engine behind a
 * quota budget shared across instances (on the queue Redis, which never evicts it) and a circuit breaker, and
 * the translation cache on the evicting cache Redis. TranslationMetrics (latency histograms, hit rate, error rate,
 * fallbacks, breaker states) is the seam polyglot-b:M-4's proof plugs the review's design into.
 */
@Module({
  imports: [HistoryModule, SessionsModule, PairGlossariesModule],
  controllers: [TranslationsController],
  providers: [
    Translator,
    {
      provide: TranslationMetrics,
      inject: [METRICS_REGISTRY],
      useFactory: (registry: Registry) => new PrometheusTranslationMetrics(registry),
    },
    {
      provide: ProviderConnections,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new KeepAliveProviderConnections(config.providers.poolSize),
    },
    {
      provide: ProviderTranslator,
      inject: [APP_CONFIG, ProviderConnections, QUEUE_REDIS, TranslationMetrics],
      useFactory: (
        config: AppConfig,
        connections: ProviderConnections,
        redis: Redis,
        metrics: TranslationMetrics,
      ) => buildProviderTranslator(config.providers, connections, redis, metrics),
    },
    {
      provide: ProviderBatcher,
      inject: [APP_CONFIG, ProviderTranslator, TranslationMetrics],
      useFactory: (config: AppConfig, translator: ProviderTranslator, metrics: TranslationMetrics) =>
        new MicroBatchingProviderBatcher(
          translator,
          {
            windowMs: config.providers.batchWindowMs,
            maxCallsInFlight: config.providers.maxCallsInFlightPerPair,
          },
          metrics,
        ),
    },
    {
      provide: TranslationCache,
      inject: [APP_CONFIG, REDIS_CLIENTS, TranslationMetrics],
      useFactory: (config: AppConfig, redis: RedisClients, metrics: TranslationMetrics) => {
        const ttl = config.translationCache;
        return new RedisTranslationCache(
          redis.cache,
          { chat: ttl.chatTtlSeconds, caption: ttl.captionTtlSeconds, document: ttl.documentTtlSeconds },
          metrics,
        );
      },
    },
    ProvidersShutdown,
  ],
  exports: [Translator],
})
export class TranslationModule {}
