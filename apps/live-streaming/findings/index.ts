import { defineFindingSuite } from '@remedy/testing';
import c2Indexes from './c-2-indexes.finding.js';
import c3UnboundedLists from './c-3-unbounded-lists.finding.js';
import m2SessionLifetime from './m-2-session-lifetime.finding.js';
import m4ProfileCache from './m-4-profile-cache.finding.js';
import s1ChatConnectionLimit from './s-1-chat-connection-limit.finding.js';
import s4ViewerCount from './s-4-viewer-count.finding.js';
import { liveStreamingHarness } from './support/live-streaming-harness.js';

export default defineFindingSuite({
  ...liveStreamingHarness,
  findings: [
    c2Indexes,
    c3UnboundedLists,
    m2SessionLifetime,
    m4ProfileCache,
    s1ChatConnectionLimit,
    s4ViewerCount,
  ],
});
