import { defineFindingSuite } from '@remedy/testing';
import { migrateBlogSchema } from './blog/blog-schema.js';
import nPlusOne from './n-plus-one.finding.js';

export default defineFindingSuite({
  name: 'pooling',
  migrate: migrateBlogSchema,
  findings: [nPlusOne],
});
