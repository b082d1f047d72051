import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { ArchiveStore } from './archive-store.js';

export interface S3ArchiveStoreOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key, e.g. `vitals/`; list() returns keys without it. */
  keyPrefix?: string;
  /** Bytes buffered per multipart part; S3 requires at least 5 MiB for every part but the last. */
  partSizeBytes?: number;
}

const MIN_PART_BYTES = 5 * 1024 * 1024;

/**
 * Archives in S3 (or anything speaking its API). A body is uploaded as it streams: one PutObject when it
 * fits in one part, otherwise a multipart upload holding one part in memory at a time.
 */
export class S3ArchiveStore implements ArchiveStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly keyPrefix: string;
  private readonly partSizeBytes: number;

  constructor(options: S3ArchiveStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.keyPrefix = options.keyPrefix ?? '';
    this.partSizeBytes = options.partSizeBytes ?? 8 * 1024 * 1024;
    if (this.partSizeBytes < MIN_PART_BYTES)
      throw new Error(
        `S3ArchiveStore: partSizeBytes must be at least ${MIN_PART_BYTES} (S3's minimum part size)`,
      );
  }

  async put(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const objectKey = this.keyPrefix + key;
    const upload = new MultipartUpload(this.client, this.bucket, objectKey);
    let buffered: Buffer[] = [];
    let bufferedBytes = 0;
    try {
      for await (const chunk of body) {
        buffered.push(Buffer.from(chunk));
        bufferedBytes += chunk.byteLength;
        if (bufferedBytes >= this.partSizeBytes) {
          await upload.uploadPart(Buffer.concat(buffered));
          buffered = [];
          bufferedBytes = 0;
        }
      }
      if (!upload.started) {
        const whole = Buffer.concat(buffered);
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: objectKey,
            Body: whole,
            ContentLength: whole.byteLength,
          }),
        );
        return;
      }
      if (bufferedBytes > 0) await upload.uploadPart(Buffer.concat(buffered));
      await upload.complete();
    } catch (error) {
      await upload.abort();
      throw error;
    }
  }

  async get(key: string): Promise<AsyncIterable<Uint8Array>> {
    try {
      const { Body } = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.keyPrefix + key }),
      );
      if (!(Body instanceof Readable))
        throw new Error(`S3ArchiveStore: s3://${this.bucket}/${this.keyPrefix}${key} has no readable body`);
      return Body;
    } catch (error) {
      if (error instanceof NoSuchKey)
        throw new Error(`No archive at s3://${this.bucket}/${this.keyPrefix}${key}`, { cause: error });
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.keyPrefix + prefix, ContinuationToken }),
      );
      for (const object of page.Contents ?? [])
        if (object.Key) keys.push(object.Key.slice(this.keyPrefix.length));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyPrefix + key }));
  }
}

/** Starts the multipart upload lazily, with the first full part, so small archives cost a single PutObject. */
class MultipartUpload {
  private uploadId: string | undefined;
  private readonly parts: CompletedPart[] = [];

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
  ) {}

  get started(): boolean {
    return this.uploadId !== undefined;
  }

  async uploadPart(bytes: Buffer): Promise<void> {
    this.uploadId ??= (
      await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key }))
    ).UploadId;
    const PartNumber = this.parts.length + 1;
    const { ETag } = await this.client.send(
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        PartNumber,
        Body: bytes,
        ContentLength: bytes.byteLength,
      }),
    );
    this.parts.push({ ETag, PartNumber });
  }

  async complete(): Promise<void> {
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: this.parts },
      }),
    );
  }

  /** Best effort: a failed abort leaves an incomplete upload for the bucket's lifecycle rule to expire. */
  async abort(): Promise<void> {
    if (!this.uploadId) return;
    await this.client
      .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId }))
      .catch(() => undefined);
  }
}
