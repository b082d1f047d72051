import { S3Client } from '@aws-sdk/client-s3';
import { S3ArchiveStore, type PartitionArchive } from '@remedy/partitioning';
import type { AppConfig } from '../config.js';

/** The archive of retired partitions: gzip CSV on S3 (an emulator in tests and docker-compose). */
export function archiveFromConfig(lifecycle: AppConfig['lifecycle']): PartitionArchive | undefined {
  if (lifecycle.archiveBucket === undefined) return undefined;
  const client = new S3Client({
    region: lifecycle.archiveRegion,
    ...(lifecycle.archiveEndpoint === undefined
      ? {}
      : { endpoint: lifecycle.archiveEndpoint, forcePathStyle: true }),
    ...(lifecycle.archiveCredentials === undefined ? {} : { credentials: lifecycle.archiveCredentials }),
    requestHandler: { requestTimeout: 30_000 },
  });
  return {
    store: new S3ArchiveStore({ client, bucket: lifecycle.archiveBucket, keyPrefix: 'vitals/' }),
    format: 'csv',
  };
}
