import { S3Client } from '@aws-sdk/client-s3';
import { FilesystemArchiveStore, S3ArchiveStore, type ArchiveStore } from '@remedy/partitioning';
import type { ArchiveConfig } from '../config.js';

/** Where retired partitions go: S3 (or an emulator at ARCHIVE_S3_ENDPOINT) or a local directory. */
export function createArchiveStore(config: ArchiveConfig): ArchiveStore {
  switch (config.kind) {
    case 'filesystem':
      return new FilesystemArchiveStore(config.directory);
    case 's3':
      return new S3ArchiveStore({
        client: new S3Client({
          region: config.region,
          ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
          ...(config.credentials ? { credentials: config.credentials } : {}),
        }),
        bucket: config.bucket,
        keyPrefix: config.keyPrefix,
      });
  }
}
