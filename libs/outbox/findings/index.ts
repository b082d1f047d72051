import { defineFindingSuite } from '@remedy/testing';
import crashBeforePublish from './crash-before-publish.finding.js';
import { outboxHarness } from './outbox-harness.js';
import relayKill9 from './relay-kill-9.finding.js';

export default defineFindingSuite({ ...outboxHarness, findings: [crashBeforePublish, relayKill9] });
