import type { PackageHarness } from '@remedy/testing';
import { migrateReadingsSchema } from '../../findings/readings-schema.js';

/** The same harness as the findings suite, so every test file clones one template database. */
export const partitioningHarness: PackageHarness = { name: 'partitioning', migrate: migrateReadingsSchema };
