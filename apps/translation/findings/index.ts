import { defineFindingSuite } from '@remedy/testing';
import c2ProviderQuota from './c-2-provider-quota.finding.js';
import i2FallbackCriteria from './i-2-fallback-criteria.finding.js';
import m1TranslationCacheKeys from './m-1-translation-cache-keys.finding.js';
import m3ProviderConnectionPool from './m-3-provider-connection-pool.finding.js';
import { translationHarness } from './support/translation-harness.js';

export default defineFindingSuite({
  ...translationHarness,
  findings: [c2ProviderQuota, i2FallbackCriteria, m1TranslationCacheKeys, m3ProviderConnectionPool],
});
