import { defineFindingSuite } from '@remedy/testing';
import m4SessionEndOnce from './m-4-session-end-once.finding.js';
import { translationHarness } from './support/translation-harness.js';

export default defineFindingSuite({
  ...translationHarness,
  findings: [m4SessionEndOnce],
});
