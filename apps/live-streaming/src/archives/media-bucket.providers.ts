import type { Provider } from '@nestjs/common';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { MediaBucket, MEDIA_S3, mediaS3Client } from './media-bucket.js';

/** The media bucket, for both entries: the API serves playback from it, the worker writes archives to it. */
export const MEDIA_BUCKET_PROVIDERS: Provider[] = [
  {
    provide: MEDIA_S3,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => mediaS3Client(config.archives),
  },
  MediaBucket,
];
