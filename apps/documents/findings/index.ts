import { defineFindingSuite } from '@remedy/testing';
import s2DeltaSync from './s-2-delta-sync.finding.js';
import m3SearchIndexSync from './m-3-search-index-sync.finding.js';
import { documentsHarness } from './support/documents-harness.js';

export default defineFindingSuite({
  ...documentsHarness,
  findings: [s2DeltaSync, m3SearchIndexSync],
});
