import { PartitionMaintainer } from '@remedy/partitioning';
import type { PackageHarness } from '@remedy/testing';
import pg from 'pg';
import { parseConfig } from '../../src/config.js';
import { migrateDatabase } from '../../src/database/migrate-database.js';
import { eventPartitionPolicies } from '../../src/retention/partition-policies.js';
import { TEST_SECRETS } from './test-config.js';

/** Monthly partitions made back this far, so seeded past events land in their own partitions. */
export const TEMPLATE_PARTITIONS_MONTHS_BACK = 30;

/**
 * Builds the package's template database: the app's TypeORM migrations, then the partitions the worker's
 * maintenance job would have made (from 30 months back to the premake horizon).
 */
export const eventRegistrationHarness: PackageHarness = {
  name: 'event-registration',
  async migrate(databaseUrl) {
    const config = parseConfig({ ...TEST_SECRETS, DATABASE_URL: databaseUrl });
    await migrateDatabase(config.database);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    try {
      const maintainer = new PartitionMaintainer(pool);
      const from = new Date();
      from.setUTCMonth(from.getUTCMonth() - TEMPLATE_PARTITIONS_MONTHS_BACK);
      for (const policy of eventPartitionPolicies(config.retention)) {
        await maintainer.ensurePartitions(policy, { from });
      }
    } finally {
      await pool.end();
    }
  },
};
