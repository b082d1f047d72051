import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';

/** SendMessageBatch takes at most ten entries. */
export const SQS_MAX_BATCH_ENTRIES = 10;

/* The limit the whole request body counts against. 256 KiB is the figure every SQS-compatible server has
   honoured; AWS itself now allows 1 MiB, which a caller may pass instead. */
export const SQS_DEFAULT_MAX_BATCH_BYTES = 256 * 1_024;

export function sqsEntryBytes(entry: SendMessageBatchRequestEntry): number {
  let bytes = Buffer.byteLength(entry.MessageBody ?? '');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes +=
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

/**
 * Splits entries into requests of at most ten entries and `maxBytes` in total. An entry larger than
 * `maxBytes` goes alone, so only that entry fails at the server instead of the whole request.
 */
export function chunkSqsEntries(
  entries: readonly SendMessageBatchRequestEntry[],
  maxBytes = SQS_DEFAULT_MAX_BATCH_BYTES,
): SendMessageBatchRequestEntry[][] {
  const chunks: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    const bytes = sqsEntryBytes(entry);
    if (current.length > 0 && (current.length === SQS_MAX_BATCH_ENTRIES || currentBytes + bytes > maxBytes)) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
