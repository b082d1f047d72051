import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import type { ConfigValues } from '../../src/config.js';

const BUCKET = 'live-streaming-media-test';

export interface MediaBucketEmulator {
  /** The app's ARCHIVE_S3_* settings for this emulator. */
  env: ConfigValues;
  /** What the media server does when a stream ends: leaves its recording in the bucket. */
  putRecording(streamId: string, bytes: Uint8Array): Promise<void>;
  stop(): Promise<void>;
}

/** fauxqs's S3 on a free port with the media bucket created: the real AWS SDK talks to it path-style. */
export async function startMediaBucketEmulator(): Promise<MediaBucketEmulator> {
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  fauxqs.createBucket(BUCKET);
  const endpoint = `http://127.0.0.1:${fauxqs.port}`;
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
  return {
    env: {
      ARCHIVE_S3_BUCKET: BUCKET,
      ARCHIVE_S3_ENDPOINT: endpoint,
      ARCHIVE_S3_REGION: 'us-east-1',
      ARCHIVE_S3_ACCESS_KEY_ID: credentials.accessKeyId,
      ARCHIVE_S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    async putRecording(streamId, bytes) {
      await client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: `recordings/${streamId}.mp4`, Body: bytes }),
      );
    },
    async stop() {
      client.destroy();
      await fauxqs.stop();
    },
  };
}
