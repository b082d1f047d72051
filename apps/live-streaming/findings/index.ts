import { defineFindingSuite } from '@remedy/testing';
import m2SessionLifetime from './m-2-session-lifetime.finding.js';
import m4ProfileCache from './m-4-profile-cache.finding.js';
import { liveStreamingHarness } from './support/live-streaming-harness.js';

export default defineFindingSuite({
  ...liveStreamingHarness,
  findings: [m2SessionLifetime, m4ProfileCache],
});
