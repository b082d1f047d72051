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
import s5TranslationOffTheSocketHandler from './s-5-translation-off-the-socket-handler.finding.js';
import m2SpeechPipeline from './m-2-speech-pipeline.finding.js';
import mi2SampledRequestLogs from './mi-2-sampled-request-logs.finding.js';
import i3CorrelationIds from './i-3-correlation-ids.finding.js';
import c5ConnectionLimit from './c-5-connection-limit.finding.js';
import s2ConnectionRegistry from './s-2-connection-registry.finding.js';
import m4LatencyMetrics from './m-4-latency-metrics.finding.js';
import c1HistoryPartitions from './c-1-history-partitions.finding.js';
import s3ParticipantLanguageMap from './s-3-participant-language-map.finding.js';
import mi3TranslationFeedback from './mi-3-translation-feedback.finding.js';
import s1SessionFanOut from './s-1-session-fan-out.finding.js';
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
    s5TranslationOffTheSocketHandler,
    m2SpeechPipeline,
    mi2SampledRequestLogs,
    i3CorrelationIds,
    c5ConnectionLimit,
    s2ConnectionRegistry,
    m4LatencyMetrics,
    c1HistoryPartitions,
    s3ParticipantLanguageMap,
    mi3TranslationFeedback,
    s1SessionFanOut,
  ],
});
