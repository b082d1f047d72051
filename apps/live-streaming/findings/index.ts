import { defineFindingSuite } from '@remedy/testing';
import c2Indexes from './c-2-indexes.finding.js';
import c3UnboundedLists from './c-3-unbounded-lists.finding.js';
import m1MemberRateLimit from './m-1-member-rate-limit.finding.js';
import m2SessionLifetime from './m-2-session-lifetime.finding.js';
import m4ProfileCache from './m-4-profile-cache.finding.js';
import m5LiveListHttpCaching from './m-5-live-list-http-caching.finding.js';
import s3StreamListNPlusOne from './s-3-stream-list-n-plus-one.finding.js';
import { liveStreamingHarness } from './support/live-streaming-harness.js';

export default defineFindingSuite({
  ...liveStreamingHarness,
  findings: [
    c2Indexes,
    c3UnboundedLists,
    m1MemberRateLimit,
    m2SessionLifetime,
    m4ProfileCache,
    m5LiveListHttpCaching,
    s3StreamListNPlusOne,
  ],
});
