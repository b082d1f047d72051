import { defineFindingSuite } from '@remedy/testing';
import partitionPruning from './partition-pruning.finding.js';
import { migrateReadingsSchema } from './readings-schema.js';
import retentionArchive from './retention-archive.finding.js';

export default defineFindingSuite({
  name: 'partitioning',
  migrate: migrateReadingsSchema,
  findings: [partitionPruning, retentionArchive],
});
