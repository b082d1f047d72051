import { defineFindingSuite } from '@remedy/testing';
import { medicalVitalsHarness } from './support/medical-vitals-harness.js';
import v01 from './v-01-bigserial-key.finding.js';
import v02 from './v-02-indexes.finding.js';
import v03 from './v-03-polling-vs-push.finding.js';
import v04 from './v-04-batched-writes.finding.js';
import v05 from './v-05-active-patients-n-plus-one.finding.js';
import v06 from './v-06-caches.finding.js';
import v07 from './v-07-slow-consumer.finding.js';
import v08 from './v-08-pool-sizing.finding.js';
import v09 from './v-09-report-memory.finding.js';
import v10 from './v-10-retention.finding.js';
import v11 from './v-11-capacity-monitoring.finding.js';
import v12 from './v-12-async-alerts.finding.js';
import v13 from './v-13-read-routing.finding.js';
import v14 from './v-14-stateless-websockets.finding.js';
import v15 from './v-15-sharding-plan.finding.js';
import v16 from './v-16-tracing.finding.js';
import v17 from './v-17-limits-and-breaker.finding.js';

export default defineFindingSuite({
  ...medicalVitalsHarness,
  findings: [v01, v02, v03, v04, v05, v06, v07, v08, v09, v10, v11, v12, v13, v14, v15, v16, v17],
});
