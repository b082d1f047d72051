import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig, ArchivesConfig } from '../config.js';
import { contentTypeOf } from './archive-files.js';

export const MEDIA_S3 = Symbol('MEDIA_S3');

/** The AWS SDK client for the media bucket; with an endpoint (an emulator) requests are path-style. */
export function mediaS3Client(config: ArchivesConfig): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint, forcePathStyle: true }),
    ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
    requestHandler: { requestTimeout: 60_000 },
  });
}

export interface ArchiveObject {
  body: Readable;
  contentType: string;
  contentLength: number | undefined;
}

/**
 * The media bucket: the media server's recordings (`recordings/<stream id>.mp4`) and the archives transcoded
 * from them (`archives/<stream id>/…`, the prefix infra/s3's lifecycle rules tier). Files are streamed both
 * ways, never held whole in memory.
 */
@Injectable()
export class MediaBucket implements OnApplicationShutdown {
  private readonly bucket: string;

  constructor(
    @Inject(MEDIA_S3) private readonly client: S3Client,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.bucket = config.archives.bucket;
  }

  static recordingKey(streamId: string): string {
    return `recordings/${streamId}.mp4`;
  }

  static archiveKey(streamId: string, path: string): string {
    return `archives/${streamId}/${path}`;
  }

  async downloadRecording(streamId: string, file: string): Promise<void> {
    const { Body } = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: MediaBucket.recordingKey(streamId) }),
    );
    if (!(Body instanceof Readable)) throw new Error(`the recording of stream ${streamId} has no body`);
    await pipeline(Body, createWriteStream(file));
  }

  async uploadArchiveFile(streamId: string, path: string, file: string): Promise<void> {
    const { size } = await stat(file);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: MediaBucket.archiveKey(streamId, path),
        Body: createReadStream(file),
        ContentLength: size,
        ContentType: contentTypeOf(path),
      }),
    );
  }

  /** One file of an archive, or undefined when the bucket has none under that name. */
  async openArchiveFile(streamId: string, path: string): Promise<ArchiveObject | undefined> {
    let object: GetObjectCommandOutput;
    try {
      object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: MediaBucket.archiveKey(streamId, path) }),
      );
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
    if (!(object.Body instanceof Readable)) throw new Error(`archive file ${path} has no body`);
    return { body: object.Body, contentType: contentTypeOf(path), contentLength: object.ContentLength };
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
