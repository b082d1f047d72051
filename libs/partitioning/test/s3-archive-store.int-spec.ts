import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { HeadObjectCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { createHash, randomBytes } from 'node:crypto';
import { S3ArchiveStore } from '../src/index.js';

const BUCKET = 'archive-test';
let fauxqs: FauxqsServer;
let client: S3Client;

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  fauxqs.createBucket(BUCKET);
  client = new S3Client({
    endpoint: `http://127.0.0.1:${fauxqs.port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  client.destroy();
  await fauxqs.stop();
});

async function* chunksOf(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

async function sha256(body: AsyncIterable<Uint8Array>): Promise<{ hex: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { hex: hash.digest('hex'), bytes };
}

describe('S3ArchiveStore on fauxqs', () => {
  test('puts, gets, lists and deletes under a key prefix that callers never see', async () => {
    const store = new S3ArchiveStore({ client, bucket: BUCKET, keyPrefix: 'vitals/' });
    await store.put('public.v/v_p20261101.csv.gz', chunksOf(Buffer.from('id,value\n1,2\n'), 4));
    await store.put('public.v/v_p20261102.csv.gz', chunksOf(Buffer.from(''), 1));
    await store.put('public.w/w_p20261101.csv.gz', chunksOf(Buffer.from('x'), 1));

    expect(await store.list('public.v/')).toEqual([
      'public.v/v_p20261101.csv.gz',
      'public.v/v_p20261102.csv.gz',
    ]);
    const head = await client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'vitals/public.v/v_p20261101.csv.gz' }),
    );
    expect(head.ContentLength).toBe(13);
    expect((await sha256(await store.get('public.v/v_p20261101.csv.gz'))).bytes).toBe(13);

    await store.delete('public.v/v_p20261101.csv.gz');
    expect(await store.list('public.')).toEqual([
      'public.v/v_p20261102.csv.gz',
      'public.w/w_p20261101.csv.gz',
    ]);
    await expect(store.get('public.v/v_p20261101.csv.gz')).rejects.toThrow(
      `No archive at s3://${BUCKET}/vitals/public.v/v_p20261101.csv.gz`,
    );
  });

  test('streams a body larger than one part as a multipart upload, byte for byte', async () => {
    const store = new S3ArchiveStore({ client, bucket: BUCKET, partSizeBytes: 5 * 1024 * 1024 });
    const data = randomBytes(11 * 1024 * 1024 + 123);
    await store.put('big/object.bin', chunksOf(data, 64 * 1024));
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big/object.bin' }));
    expect(head.ETag).toMatch(/-3"$/);
    expect(await sha256(await store.get('big/object.bin'))).toEqual({
      hex: createHash('sha256').update(data).digest('hex'),
      bytes: data.length,
    });
  });

  test('aborts the multipart upload when the body fails, leaving no object', async () => {
    const store = new S3ArchiveStore({ client, bucket: BUCKET, partSizeBytes: 5 * 1024 * 1024 });
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield* chunksOf(randomBytes(6 * 1024 * 1024), 1024 * 1024);
      throw new Error('source died');
    }
    await expect(store.put('broken/object.bin', failing())).rejects.toThrow('source died');
    expect(await store.list('broken/')).toEqual([]);
    const uploads = await client
      .send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))
      .catch(() => undefined);
    expect(uploads?.Uploads ?? []).toEqual([]);
  });

  test('refuses part sizes S3 would reject', () => {
    expect(() => new S3ArchiveStore({ client, bucket: BUCKET, partSizeBytes: 1024 })).toThrow(
      'partSizeBytes must be at least 5242880',
    );
  });
});
