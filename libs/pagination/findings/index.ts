import { defineFindingSuite } from '@remedy/testing';
import { migrateFeedItems } from './feed-items.schema.js';
import offsetDrift from './offset-drift.finding.js';

export default defineFindingSuite({
  name: 'pagination',
  migrate: migrateFeedItems,
  findings: [offsetDrift],
});
