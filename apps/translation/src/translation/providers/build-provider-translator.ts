import type { Redis } from 'ioredis';
import type { ProvidersConfig } from '../../config.js';
import type { TranslationMetrics } from '../metrics/translation-metrics.js';
import { buildEngines } from './build-engines.js';
import { GuardedProviderTranslator } from './guarded-provider-translator.js';
import { FAILURE_POLICY, type FailurePolicy } from './provider-call-error.js';
import type { ProviderConnections } from './provider-connections.js';
import { QuotaTokenBucket } from './quota-token-bucket.js';

/**
 * The service's ProviderTranslator: Google v3 then DeepL v2, each behind its quota budget (token buckets on
 * `redis`, shared by every instance) and its breaker, deciding retry and fallback by `policy`.
 */
export function buildProviderTranslator(
  config: ProvidersConfig,
  connections: ProviderConnections,
  redis: Redis,
  metrics: TranslationMetrics,
  policy: FailurePolicy = FAILURE_POLICY,
): GuardedProviderTranslator {
  const { primary, fallback } = buildEngines(config, connections);
  const budget = (engine: string, quota: { charactersPerMinute: number; requestsPerSecond: number }) =>
    new QuotaTokenBucket(redis, {
      engine,
      maxWaitMs: config.quotaMaxWaitMs,
      ...(quota.charactersPerMinute > 0 ? { charactersPerMinute: quota.charactersPerMinute } : {}),
      ...(quota.requestsPerSecond > 0 ? { requestsPerSecond: quota.requestsPerSecond } : {}),
    });
  return new GuardedProviderTranslator(
    [
      { engine: primary, budget: budget(primary.name, config.google) },
      { engine: fallback, budget: budget(fallback.name, config.deepl) },
    ],
    { volumeThreshold: config.breakerVolume, resetTimeoutMs: config.breakerResetMs },
    metrics,
    policy,
  );
}
