import { defineFindingSuite } from '@remedy/testing';
import m3SearchIndexSync from './m-3-search-index-sync.finding.js';
import { documentsHarness } from './support/documents-harness.js';

export default defineFindingSuite({
  ...documentsHarness,
  findings: [m3SearchIndexSync],
});
