import { defineFindingSuite } from '@remedy/testing';
import c1GoLiveNotifications from './c-1-go-live-notifications.finding.js';
import c2Indexes from './c-2-indexes.finding.js';
import c3UnboundedLists from './c-3-unbounded-lists.finding.js';
import c4PoolLimits from './c-4-pool-limits.finding.js';
import c5SloMonitoring from './c-5-slo-monitoring.finding.js';
import i1Autoscaling from './i-1-autoscaling.finding.js';
import i2ArchiveLifecycle from './i-2-archive-lifecycle.finding.js';
import m1MemberRateLimit from './m-1-member-rate-limit.finding.js';
import m2SessionLifetime from './m-2-session-lifetime.finding.js';
import m3HangingPaymentProvider from './m-3-hanging-payment-provider.finding.js';
import m4ProfileCache from './m-4-profile-cache.finding.js';
import m5LiveListHttpCaching from './m-5-live-list-http-caching.finding.js';
import s1ChatConnectionLimit from './s-1-chat-connection-limit.finding.js';
import s2RedisMemoryPolicy from './s-2-redis-memory-policy.finding.js';
import s3StreamListNPlusOne from './s-3-stream-list-n-plus-one.finding.js';
import s4ViewerCount from './s-4-viewer-count.finding.js';
import s5SynchronousTranscoding from './s-5-synchronous-transcoding.finding.js';
import s6ReadRouting from './s-6-read-routing.finding.js';
import { liveStreamingHarness } from './support/live-streaming-harness.js';

export default defineFindingSuite({
  ...liveStreamingHarness,
  findings: [
    c1GoLiveNotifications,
    c2Indexes,
    c3UnboundedLists,
    c4PoolLimits,
    c5SloMonitoring,
    i1Autoscaling,
    i2ArchiveLifecycle,
    m1MemberRateLimit,
    m2SessionLifetime,
    m3HangingPaymentProvider,
    m4ProfileCache,
    m5LiveListHttpCaching,
    s1ChatConnectionLimit,
    s2RedisMemoryPolicy,
    s3StreamListNPlusOne,
    s4ViewerCount,
    s5SynchronousTranscoding,
    s6ReadRouting,
  ],
});
