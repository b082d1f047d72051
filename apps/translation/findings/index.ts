import { defineFindingSuite } from '@remedy/testing';
import m3ProviderConnectionPool from './m-3-provider-connection-pool.finding.js';
import { translationHarness } from './support/translation-harness.js';

export default defineFindingSuite({
  ...translationHarness,
  findings: [m3ProviderConnectionPool],
});
