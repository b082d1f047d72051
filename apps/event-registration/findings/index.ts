import { defineFindingSuite } from '@remedy/testing';
import c1CapacityRace from './c-1-capacity-race.finding.js';
import c2ReminderBatch from './c-2-reminder-batch.finding.js';
import c3StatementTimeout from './c-3-statement-timeout.finding.js';
import m1Caching from './m-1-caching.finding.js';
import m2ConcurrentTransitions from './m-2-concurrent-transitions.finding.js';
import m3ExpandContract from './minor-m-3-expand-contract.finding.js';
import m4Observability from './m-4-observability.finding.js';
import m3StatsAggregation from './m-3-stats-aggregation.finding.js';
import minorM1QrForgery from './minor-m-1-qr-forgery.finding.js';
import minorM2SessionLifetime from './minor-m-2-session-lifetime.finding.js';
import s1UnboundedResults from './s-1-unbounded-results.finding.js';
import s3SynchronousEmail from './s-3-synchronous-email.finding.js';
import s2Indexes from './s-2-indexes.finding.js';
import s4ConnectionPool from './s-4-connection-pool.finding.js';
import s5DataLifecycle from './s-5-data-lifecycle.finding.js';
import { eventRegistrationHarness } from './support/event-registration-harness.js';

export default defineFindingSuite({
  ...eventRegistrationHarness,
  findings: [
    c1CapacityRace,
    c2ReminderBatch,
    c3StatementTimeout,
    s1UnboundedResults,
    s2Indexes,
    s3SynchronousEmail,
    s4ConnectionPool,
    s5DataLifecycle,
    m1Caching,
    m2ConcurrentTransitions,
    m3StatsAggregation,
    m4Observability,
    m3ExpandContract,
    minorM1QrForgery,
    minorM2SessionLifetime,
  ],
});
