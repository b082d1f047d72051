import { defineFindingSuite } from '@remedy/testing';
import m1SessionMetadataCache from './m-1-session-metadata-cache.finding.js';
import m2IdempotentJoin from './m-2-idempotent-join.finding.js';
import m4SessionEndOnce from './m-4-session-end-once.finding.js';
import s4Indexes from './s-4-indexes.finding.js';
import c2ProviderQuota from './c-2-provider-quota.finding.js';
import i2FallbackCriteria from './i-2-fallback-criteria.finding.js';
import m1TranslationCacheKeys from './m-1-translation-cache-keys.finding.js';
import m3ProviderConnectionPool from './m-3-provider-connection-pool.finding.js';
import i1TokenInUrl from './i-1-token-in-url.finding.js';
import s5BatchedProviderCalls from './s-5-batched-provider-calls.finding.js';
import c1HistoryPartitions from './c-1-history-partitions.finding.js';
import { translationHarness } from './support/translation-harness.js';

export default defineFindingSuite({
  ...translationHarness,
  findings: [
    m1SessionMetadataCache,
    m2IdempotentJoin,
    m4SessionEndOnce,
    s4Indexes,
    c2ProviderQuota,
    i2FallbackCriteria,
    m1TranslationCacheKeys,
    m3ProviderConnectionPool,
    i1TokenInUrl,
    s5BatchedProviderCalls,
    c1HistoryPartitions,
  ],
});
