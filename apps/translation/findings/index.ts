import { defineFindingSuite } from '@remedy/testing';
import m1SessionMetadataCache from './m-1-session-metadata-cache.finding.js';
import m2IdempotentJoin from './m-2-idempotent-join.finding.js';
import m4SessionEndOnce from './m-4-session-end-once.finding.js';
import s4Indexes from './s-4-indexes.finding.js';
import { translationHarness } from './support/translation-harness.js';

export default defineFindingSuite({
  ...translationHarness,
  findings: [m1SessionMetadataCache, m2IdempotentJoin, m4SessionEndOnce, s4Indexes],
});
